package org.openhall.itests.swap;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.IssueGate;
import org.openhall.api.policy.IssueRequest;
import org.openhall.api.policy.IssueVerdict;
import org.openhall.api.queue.PriorityClass;

/** Version 2 of the hot-swap test policy: no green channel in category A only. */
public final class SwapGateV2 implements IssueGate {

    @Override
    public IssueVerdict check(IssueRequest request, HallView hall) {
        return request.priority() == PriorityClass.GREEN_CHANNEL && "A".equals(request.categoryId())
                ? IssueVerdict.allowAs(PriorityClass.NORMAL, "swap policy v2: no green channel in A")
                : IssueVerdict.allow();
    }
}
