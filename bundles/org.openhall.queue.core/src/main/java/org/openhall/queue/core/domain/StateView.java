package org.openhall.queue.core.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.openhall.api.policy.HallView;
import org.openhall.api.policy.WaitingTicket;
import org.openhall.api.queue.HallPhase;
import org.openhall.api.queue.TicketState;
import org.openhall.api.queue.WindowView;

/** {@link HallView} on the state under the engine's lock, for one decision. */
final class StateView implements HallView {

    private final HallState state;
    private final Instant now;

    StateView(HallState state, Instant now) {
        this.state = state;
        this.now = now;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId zone() {
        return state.config().zone();
    }

    @Override
    public HallPhase phase() {
        return state.phase;
    }

    @Override
    public boolean withinOpeningHours(Instant at) {
        return state.isOpenForIssuing(at);
    }

    @Override
    public Optional<Instant> closingTime() {
        return state.closingTime(now);
    }

    @Override
    public List<String> categoryIds() {
        return state.config().categories().stream().map(CategoryConfig::id).toList();
    }

    @Override
    public List<WaitingTicket> waiting(String categoryId) {
        List<Ticket> out = new ArrayList<>();
        for (Ticket t : state.tickets.values()) {
            if (t.state == TicketState.WAITING && t.categoryId.equals(categoryId)) {
                out.add(t);
            }
        }
        out.sort(java.util.Comparator.comparingInt(Ticket::rank).thenComparing(HallState.PLACE_ORDER));
        return out.stream().map(HallState::waiting).toList();
    }

    @Override
    public Optional<WindowView> window(String windowId) {
        return state.window(windowId);
    }

    @Override
    public List<WindowView> windows() {
        return state.config().windows().stream().map(state::windowView).toList();
    }
}
