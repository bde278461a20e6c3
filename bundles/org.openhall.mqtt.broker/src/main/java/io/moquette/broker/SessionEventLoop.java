package io.moquette.broker;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenHall's own implementation of the session thread of Moquette 0.17, in Moquette's package so
 * that Moquette's {@code SessionEventLoopGroup} creates it instead of its own (this bundle's
 * classes come first: bnd {@code -split-package:=merge-first}, see bnd.bnd). What Moquette needs of
 * it: a {@link Thread} made on a queue of session commands, that runs them until it is
 * interrupted, and {@link #executeTask}, which runs one command on the calling thread and reports
 * its failure by throwing.
 *
 * <p>Why: Moquette's own ends its thread at the first command that fails, and every client whose
 * session is hashed to that thread then waits for ever while "Session command queue N is full"
 * floods the log (issue 17 point 3: {@code IllegalArgumentException: increment : 0} in
 * {@code PostOffice.publish2Subscribers}, {@code IllegalReferenceCountException} in
 * {@code Session.pubAckReceived}). This one counts the failure, logs it and takes the next command:
 * the session whose command failed may be left inconsistent, the others are not harmed. For
 * whatever else can wedge the broker, the broker component's health check restarts it.
 */
final class SessionEventLoop extends Thread {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEventLoop.class);

    /** Session commands that failed, in this JVM. */
    static final AtomicLong FAILED_COMMANDS = new AtomicLong();

    private final BlockingQueue<FutureTask<String>> commands;

    /** Moquette's {@code SessionEventLoopGroup} makes one per session queue. */
    public SessionEventLoop(BlockingQueue<FutureTask<String>> commands) {
        this.commands = commands;
    }

    @Override
    public void run() {
        while (!isInterrupted()) {
            FutureTask<String> command;
            try {
                command = commands.take();
            } catch (InterruptedException e) {
                break;
            }
            runSafely(command);
        }
        // Stopping: what is queued still runs, so that no caller waits for an answer for ever.
        for (FutureTask<String> command; (command = commands.poll()) != null;) {
            runSafely(command);
        }
        LOG.debug("Embedded MQTT broker: session thread {} ended", getName());
    }

    private void runSafely(FutureTask<String> command) {
        try {
            executeTask(command);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InterruptedException) {
                // The server stops and interrupted the command (which cleared the flag): stop too.
                interrupt();
                return;
            }
            long n = FAILED_COMMANDS.incrementAndGet();
            LOG.error("Embedded MQTT broker: a session command failed on {} ({} so far); the thread goes on: {}",
                    getName(), n, cause.toString());
        }
    }

    /** Runs one session command on the calling thread; its failure is thrown as an unchecked exception. */
    public static void executeTask(FutureTask<String> command) {
        if (command.isCancelled()) {
            return;
        }
        command.run();
        try {
            command.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("session command failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a session command ran", e);
        }
    }
}
