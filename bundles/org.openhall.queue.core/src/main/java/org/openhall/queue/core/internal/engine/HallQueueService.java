package org.openhall.queue.core.internal.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.openhall.api.device.Device;
import org.openhall.api.queue.Actor;
import org.openhall.api.queue.Alert;
import org.openhall.api.queue.Appointment;
import org.openhall.api.queue.Evaluation;
import org.openhall.api.queue.DayStatistics;
import org.openhall.api.queue.ErrorCode;
import org.openhall.api.queue.Finish;
import org.openhall.api.queue.HallQueue;
import org.openhall.api.queue.HallSnapshot;
import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.ManualCase;
import org.openhall.api.queue.PauseKind;
import org.openhall.api.queue.PriorityClass;
import org.openhall.api.queue.Request;
import org.openhall.api.queue.Result;
import org.openhall.api.queue.SignInChallenge;
import org.openhall.api.queue.TicketView;
import org.openhall.api.queue.TransferTarget;
import org.openhall.api.queue.WindowView;
import org.openhall.api.runtime.HallReady;
import org.openhall.queue.core.domain.Command;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@link HallQueue} service: present exactly while a rebuilt engine is registered. Required for
 * READY: the hall is not ready before its queue is.
 */
@Component(service = HallQueue.class, property = HallReady.REQUIRED_PROPERTY + ":Boolean=true")
public final class HallQueueService implements HallQueue {

    @Reference
    QueueEngine engine;

    private final SignIns signIns = new SignIns();

    /**
     * Window binding: the window each registered {@link Device} belongs to, by device id, from the
     * services' properties. A device bound to window N acts only at window N; devices that belong
     * to no window (kiosks) and device actors with no registered device (MQTT clients, whose
     * rights the broker's per-user permissions limit) are not bound.
     */
    private final Map<String, String> deviceWindows = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(Device device, Map<String, Object> properties) {
        Object id = properties.get(Device.ID);
        Object window = properties.get(Device.WINDOW);
        if (id != null) {
            if (window == null || window.toString().isBlank()) {
                deviceWindows.remove(id.toString());
            } else {
                deviceWindows.put(id.toString(), window.toString());
            }
        }
    }

    void updatedDevice(Device device, Map<String, Object> properties) {
        bindDevice(device, properties);
    }

    void unbindDevice(Device device, Map<String, Object> properties) {
        Object id = properties.get(Device.ID);
        Object window = properties.get(Device.WINDOW);
        if (id != null && window != null) {
            deviceWindows.remove(id.toString(), window.toString());
        }
    }

    /** Why {@code c} is not this actor's to do at its window, or null. */
    private String notBound(Command c) {
        if (c.actor().kind() != Actor.Kind.DEVICE) {
            return null;
        }
        String bound = deviceWindows.get(c.actor().id());
        String at = c.windowId();
        if (bound == null || at == null || bound.equals(at)) {
            return null;
        }
        return "device " + c.actor().id() + " belongs to window " + bound + " and acts only there, not at window " + at;
    }

    /** Builds the command; a null or malformed argument is a refusal, not an exception. */
    private <T> Result<T> run(Request request, Class<T> type, Supplier<Command> command) {
        if (request == null) {
            return Result.error(ErrorCode.INVALID_ARGUMENT, "request is required");
        }
        Command c;
        try {
            c = command.get();
        } catch (NullPointerException | IllegalArgumentException e) {
            return Result.error(ErrorCode.INVALID_ARGUMENT, String.valueOf(e.getMessage()));
        }
        String notBound = notBound(c);
        if (notBound != null) {
            return Result.error(ErrorCode.BAD_CREDENTIALS, notBound);
        }
        return engine.execute(request.requestId(), c, type);
    }

    @Override
    public Result<IssuedTicket> issueTicket(Request request, String categoryId, PriorityClass priority,
            String serviceItemId) {
        return run(request, IssuedTicket.class, () -> new Command.IssueTicket(request.actor(), categoryId,
                priority == null ? PriorityClass.NORMAL : priority, serviceItemId));
    }

    @Override
    public Result<Evaluation> evaluate(Request request, String windowId, int level) {
        return run(request, Evaluation.class, () -> new Command.Evaluate(request.actor(), windowId, level));
    }

    @Override
    public Result<Alert> raiseAlert(Request request, Alert alert) {
        return run(request, Alert.class, () -> new Command.RaiseAlert(request.actor(), alert));
    }

    @Override
    public Result<Boolean> clearAlert(Request request, String alertId) {
        return run(request, Boolean.class, () -> new Command.ClearAlert(request.actor(), alertId));
    }

    @Override
    public Result<WindowView> assignCategories(Request request, String windowId, List<String> categoryIds) {
        return run(request, WindowView.class,
                () -> new Command.AssignCategories(request.actor(), windowId, categoryIds));
    }

    @Override
    public Result<Boolean> putPolicyState(Request request, String policyId, String key, String value) {
        return run(request, Boolean.class, () -> new Command.PutPolicyState(request.actor(), policyId, key, value));
    }

    @Override
    public Map<String, String> policyState(String policyId) {
        return engine.policyState(policyId);
    }

    @Override
    public Result<IssuedTicket> checkIn(Request request, Appointment appointment) {
        return run(request, IssuedTicket.class, () -> new Command.CheckIn(request.actor(), appointment));
    }

    @Override
    public Result<TicketView> callNext(Request request, String windowId) {
        return run(request, TicketView.class, () -> new Command.CallNext(request.actor(), windowId));
    }

    @Override
    public Result<TicketView> recall(Request request, String windowId) {
        return run(request, TicketView.class, () -> new Command.Recall(request.actor(), windowId));
    }

    @Override
    public Result<TicketView> start(Request request, String windowId) {
        return run(request, TicketView.class, () -> new Command.Start(request.actor(), windowId));
    }

    @Override
    public Result<TicketView> finish(Request request, String windowId, Finish finish) {
        return run(request, TicketView.class, () -> new Command.Finish(request.actor(), windowId, finish));
    }

    @Override
    public Result<TicketView> transfer(Request request, String windowId, TransferTarget target) {
        return run(request, TicketView.class, () -> new Command.Transfer(request.actor(), windowId, target));
    }

    @Override
    public Result<TicketView> markNoShow(Request request, String windowId) {
        return run(request, TicketView.class, () -> new Command.MarkNoShow(request.actor(), windowId));
    }

    @Override
    public Result<TicketView> reactivate(Request request, String ticketNumber) {
        return run(request, TicketView.class, () -> new Command.Reactivate(request.actor(), ticketNumber));
    }

    @Override
    public Result<WindowView> pause(Request request, String windowId, PauseKind kind, String reason) {
        return run(request, WindowView.class, () -> new Command.Pause(request.actor(), windowId, kind, reason));
    }

    @Override
    public Result<WindowView> resume(Request request, String windowId) {
        return run(request, WindowView.class, () -> new Command.Resume(request.actor(), windowId));
    }

    @Override
    public Result<SignInChallenge> signInChallenge(String windowId, String staffId) {
        Result<String> hash = engine.credentialHash(windowId, staffId);
        if (!hash.isOk()) {
            return Result.error(hash.error().code(), hash.error().message());
        }
        try {
            return Result.ok(signIns.challenge(windowId, staffId, hash.value(), engine.now()));
        } catch (IllegalArgumentException e) {
            return Result.error(ErrorCode.ILLEGAL_STATE, e.getMessage());
        }
    }

    /**
     * Signing in with a PIN or the answer to a challenge ({@link SignIns}): a challenge is used
     * once, and {@value SignIns#MAX_FAILURES} wrong credentials lock the staff member out for a while.
     */
    @Override
    public Result<WindowView> openWindow(Request request, String windowId, String staffId, String credential) {
        if (request != null && staffId != null) {
            String refusal = signIns.admit(request.requestId(), windowId, staffId, credential, engine.now());
            if (refusal != null) {
                return Result.error(ErrorCode.BAD_CREDENTIALS, refusal);
            }
        }
        Result<WindowView> r = run(request, WindowView.class,
                () -> new Command.OpenWindow(request.actor(), windowId, staffId, credential));
        if (r.isOk()) {
            signIns.succeeded(staffId);
        } else if (r.error().code() == ErrorCode.BAD_CREDENTIALS) {
            signIns.failed(staffId, engine.now());
        }
        return r;
    }

    @Override
    public Result<WindowView> closeWindow(Request request, String windowId) {
        return run(request, WindowView.class, () -> new Command.CloseWindow(request.actor(), windowId));
    }

    @Override
    public Result<TicketView> recordManualCase(Request request, ManualCase manualCase) {
        return run(request, TicketView.class, () -> new Command.RecordManualCase(request.actor(), manualCase));
    }

    @Override
    public Optional<TicketView> ticket(String number) {
        return number == null ? Optional.empty() : engine.ticket(number);
    }

    @Override
    public HallSnapshot snapshot() {
        return engine.snapshot();
    }

    @Override
    public Optional<DayStatistics> statistics(LocalDate day) {
        return day == null ? Optional.empty() : engine.statistics(day);
    }
}
