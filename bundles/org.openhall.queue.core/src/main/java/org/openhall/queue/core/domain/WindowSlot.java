package org.openhall.queue.core.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.WindowState;

/**
 * The run-time state of one window, mutable, owned by {@link HallState}; its name, categories and
 * standby flag come from the configuration. A window never opened has no slot and is CLOSED.
 * Serialized field by field by {@link StateCodec}.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
final class WindowSlot {

    String id;
    WindowState state = WindowState.CLOSED;
    String staffId;
    /** The ticket called or served (also while briefly paused), else null. */
    String ticketNumber;
    PauseKind pauseKind;
    String pauseReason;
    /** While paused: the state a resume returns to (IDLE, CALLING or SERVING). */
    WindowState resumeState;
    Instant since;
    /** Categories assigned on top of the configured ones (tidal window, R2), else null. */
    List<String> assigned;
    /** The transaction the window's evaluator may rate (R7): its ticket, else null. */
    String armedTicket;
    String armedCategory;
    String armedItem;
    String armedStaff;
    /** When that transaction ended. */
    Instant armedAt;

    WindowSlot() {
    }

    WindowSlot(String id) {
        this.id = id;
    }

    void disarm() {
        armedTicket = null;
        armedCategory = null;
        armedItem = null;
        armedStaff = null;
        armedAt = null;
    }

    boolean isOpen() {
        return state != WindowState.CLOSED;
    }

    /** Open and not paused: routing may use it (R4). */
    boolean isServing() {
        return state == WindowState.IDLE || state == WindowState.CALLING || state == WindowState.SERVING;
    }
}
