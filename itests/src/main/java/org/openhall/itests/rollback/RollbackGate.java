package org.openhall.itests.rollback;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.PriorityClass;

/**
 * The roll-back test's policy (a DS component; the bundle and its descriptor are assembled by
 * DeployRollbackTest from these class files): no green channel, every ticket becomes NORMAL.
 */
public final class RollbackGate implements IssueGate {

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        return request.priority() == PriorityClass.GREEN_CHANNEL
                ? IssueVerdict.allowAs(PriorityClass.NORMAL, "roll-back test policy: no green channel")
                : IssueVerdict.allow();
    }
}
