package org.openhall.queue.core.domain;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.openhall.api.queue.Alert;
import org.openhall.api.queue.HallPhase;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.openhall.api.queue.DayStatistics;

/**
 * Snapshot format of a {@link HallState}: UTF-8 JSON with everything apply-time state holds —
 * today's tickets (in issue order), the windows' run-time state, the numbering counters, the
 * rolling handling-time samples, the consecutive-priority count, the checked-in appointment codes,
 * today's live statistics accumulators and the frozen statistics of past days. The configuration
 * is not part of it: {@link #decode} takes the current one.
 *
 * <p>The same state always encodes to the same bytes (properties and map keys sorted), so a state
 * restored from a snapshot and fed the remaining events can be compared byte for byte with one fed
 * every event from the start. {@link #FORMAT} is checked on read.
 */
public final class StateCodec {

    /** Version of the snapshot format; {@link #decode} refuses others. */
    public static final int FORMAT = 1;

    private StateCodec() {
    }

    /** The state as JSON. */
    public static byte[] encode(HallState state) {
        Objects.requireNonNull(state, "state");
        Data d = new Data(FORMAT, state.day, state.nextIssueSeq, state.consecutivePriorityCalls, state.lastNumbers,
                new ArrayList<>(state.tickets.values()), new ArrayList<>(state.windows.values()), state.lastCalled,
                new ArrayList<>(state.appointmentCodes), state.recentHandling, state.today,
                new ArrayList<>(state.past.values()), state.phase, new ArrayList<>(state.alerts.values()),
                state.policyState);
        try {
            return Json.MAPPER.writeValueAsBytes(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the hall state", e);
        }
    }

    /**
     * A state from a snapshot, with the current configuration.
     *
     * @throws IllegalArgumentException for malformed data or another format version
     */
    public static HallState decode(byte[] json, HallConfig config) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(config, "config");
        Data d;
        try {
            d = Json.MAPPER.readValue(json, Data.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode the hall state: " + e.getMessage(), e);
        }
        if (d == null || d.format() != FORMAT) {
            throw new IllegalArgumentException("unsupported hall state format " + (d == null ? null : d.format()));
        }
        if (d.day() == null) {
            throw new IllegalArgumentException("the hall state has no day");
        }
        HallState s = new HallState(config, d.day());
        s.nextIssueSeq = d.nextIssueSeq();
        s.consecutivePriorityCalls = d.consecutivePriorityCalls();
        if (d.lastNumbers() != null) {
            s.lastNumbers.putAll(d.lastNumbers());
        }
        if (d.tickets() != null) {
            for (Ticket t : d.tickets()) {
                s.tickets.put(t.number, t);
            }
        }
        if (d.windows() != null) {
            for (WindowSlot w : d.windows()) {
                s.windows.put(w.id, w);
            }
        }
        if (d.lastCalled() != null) {
            s.lastCalled.putAll(d.lastCalled());
        }
        if (d.appointmentCodes() != null) {
            s.appointmentCodes.addAll(d.appointmentCodes());
        }
        if (d.recentHandling() != null) {
            d.recentHandling().forEach((k, v) -> s.recentHandling.put(k, new ArrayList<>(v)));
        }
        if (d.today() != null) {
            s.today = d.today();
        }
        if (d.past() != null) {
            for (DayStatistics st : d.past()) {
                s.past.put(st.day(), st);
            }
        }
        if (d.phase() != null) {
            s.phase = d.phase();
        }
        if (d.alerts() != null) {
            for (Alert a : d.alerts()) {
                s.alerts.put(a.id(), a);
            }
        }
        if (d.policyState() != null) {
            d.policyState().forEach((k, v) -> s.policyState.put(k, new TreeMap<>(v)));
        }
        return s;
    }

    /** The JSON document; component names are the snapshot's field names. */
    record Data(int format, LocalDate day, long nextIssueSeq, int consecutivePriorityCalls,
            Map<String, Integer> lastNumbers, List<Ticket> tickets, List<WindowSlot> windows,
            Map<String, String> lastCalled, List<String> appointmentCodes, Map<String, List<Long>> recentHandling,
            DayAccumulator today, List<DayStatistics> past, HallPhase phase, List<Alert> alerts,
            Map<String, TreeMap<String, String>> policyState) {
    }
}
