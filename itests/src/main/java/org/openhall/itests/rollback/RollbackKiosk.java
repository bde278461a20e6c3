package org.openhall.itests.rollback;

import java.util.Map;

import org.openhall.api.device.Kiosk;
import org.openhall.api.device.KioskIssue;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;

/**
 * The roll-back test's device (a DS component assembled by DeployRollbackTest): a kiosk without a
 * printer that issues through the queue and says which version it is. The broken version's
 * descriptor sets {@code fail=true}, and its activation throws.
 */
public final class RollbackKiosk implements Kiosk {

    private volatile HallQueue queue;
    private String notice;

    void setQueue(HallQueue queue) {
        this.queue = queue;
    }

    void activate(Map<String, Object> properties) {
        if ("true".equals(String.valueOf(properties.get("fail")))) {
            throw new IllegalStateException("roll-back test kiosk: this version cannot start");
        }
        notice = String.valueOf(properties.get("notice"));
    }

    @Override
    public String id() {
        return "rollback-kiosk";
    }

    @Override
    public KioskIssue issue(Request request, String categoryId, PriorityClass priority, String serviceItemId) {
        return new KioskIssue(queue.issueTicket(request, categoryId, priority, serviceItemId), false, null, notice);
    }

    @Override
    public KioskIssue checkIn(Request request, Appointment appointment) {
        throw new UnsupportedOperationException("no check-in at the roll-back test kiosk");
    }
}
