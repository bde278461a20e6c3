package org.openhall.queue.core.domain;

import java.util.List;

import org.openhall.api.policy.CallingPolicy;
import org.openhall.api.policy.CloseGate;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.PhasePolicy;

/**
 * The policies in force for one decision, already ordered (highest service ranking first).
 *
 * @param calling    the calling policy, or null for the core's default order
 * @param issueGates every issue gate, asked in this order
 * @param closeGates every close gate, asked in this order
 * @param phase      the phase policy, or null for the opening hours
 */
public record Policies(CallingPolicy calling, List<IssueGate> issueGates, List<CloseGate> closeGates,
        PhasePolicy phase) {

    public static final Policies NONE = new Policies(null, List.of(), List.of(), null);

    public Policies {
        issueGates = issueGates == null ? List.of() : List.copyOf(issueGates);
        closeGates = closeGates == null ? List.of() : List.copyOf(closeGates);
    }

    /** Only a calling policy (or none). */
    public static Policies calling(CallingPolicy policy) {
        return policy == null ? NONE : new Policies(policy, List.of(), List.of(), null);
    }
}
