package org.openhall.itests.swap;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.PriorityClass;

/** Version 1 of the hot-swap test policy: no green channel anywhere (every ticket becomes NORMAL). */
public final class SwapGateV1 implements IssueGate {

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        return request.priority() == PriorityClass.GREEN_CHANNEL
                ? IssueVerdict.allowAs(PriorityClass.NORMAL, "swap policy v1: no green channel")
                : IssueVerdict.allow();
    }
}
