/*
 * Copyright (c) 2012-2018 The original author or authors; changed for OpenHall (see below).
 *
 * All rights reserved. This program and the accompanying materials are made available under the
 * terms of the Eclipse Public License v1.0 and Apache License v2.0 which accompanies this
 * distribution (Moquette 0.17, io.moquette:moquette-broker).
 */
package io.moquette.broker;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette 0.17's session thread, replaced by OpenHall (this bundle's copy wins over the one in
 * moquette-broker-0.17.jar; see bnd.bnd). The original ends the thread on the first exception in a
 * session command ({@code executeTask} rethrows it and {@code run} does not catch it): every client
 * whose id hashes to that thread then waits for ever, and "Session command queue N is full" floods
 * the log (issue 17 point 3: {@code IllegalArgumentException: increment : 0} in
 * {@code PostOffice.publish2Subscribers}, {@code IllegalReferenceCountException} in
 * {@code Session.pubAckReceived}). This one logs the failed command and goes on with the next; the
 * one session whose command failed may be left inconsistent, the others are not harmed. The rest
 * is Moquette's code unchanged.
 */
final class SessionEventLoop extends Thread {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEventLoop.class);

    /** Session commands that threw, in this JVM (OpenHall). */
    static final AtomicLong FAILED_COMMANDS = new AtomicLong();

    private final BlockingQueue<FutureTask<String>> sessionQueue;
    private final boolean flushOnExit;

    public SessionEventLoop(BlockingQueue<FutureTask<String>> sessionQueue) {
        this(sessionQueue, true);
    }

    /**
     * @param flushOnExit consume the commands queue before exit.
     */
    public SessionEventLoop(BlockingQueue<FutureTask<String>> sessionQueue, boolean flushOnExit) {
        this.sessionQueue = sessionQueue;
        this.flushOnExit = flushOnExit;
    }

    @Override
    public void run() {
        while (!Thread.interrupted() || (Thread.interrupted() && !sessionQueue.isEmpty() && flushOnExit)) {
            try {
                // blocking call
                final FutureTask<String> task = this.sessionQueue.take();
                executeTask(task);
            } catch (InterruptedException e) {
                LOG.info("SessionEventLoop {} interrupted", Thread.currentThread().getName());
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // OpenHall: the thread survives a failed command.
                FAILED_COMMANDS.incrementAndGet();
                LOG.error("Embedded MQTT broker: a session command failed on {}; the thread goes on: {}",
                        Thread.currentThread().getName(), e.getCause() != null ? e.getCause().toString() : e.toString());
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof InterruptedException) {
                        Thread.currentThread().interrupt(); // a command interrupted by the server's stop: stop
                        break;
                    }
                }
            }
        }
        LOG.info("SessionEventLoop {} exit", Thread.currentThread().getName());
    }

    public static void executeTask(final FutureTask<String> task) {
        if (!task.isCancelled()) {
            try {
                task.run();

                // we ran it, but we have to grab the exception if raised
                task.get();
            } catch (Throwable th) {
                LOG.warn("SessionEventLoop {} reached exception in processing command", Thread.currentThread().getName(), th);
                throw new RuntimeException(th);
            }
        }
    }
}
