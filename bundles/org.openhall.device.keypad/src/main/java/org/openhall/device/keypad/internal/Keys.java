package org.openhall.device.keypad.internal;

import java.util.EnumMap;
import java.util.Map;

import org.openhall.api.queue.ErrorCode;

/**
 * The caller keypad's protocol on {@link org.openhall.device.frames.Frame68} frames
 * (docs/devices.md, "Caller keypad"): commands, key codes and the error codes its display shows.
 */
final class Keys {

    private Keys() {
    }

    /** Master → keypad: poll, DATA = [ACK] (the SEQ of the last key press taken, 0 = none). */
    static final int POLL = 0x10;
    /** Master → keypad: show on the display, DATA = [ACK, FLAGS, TEXT… (GB18030)]. */
    static final int SHOW = 0x11;
    /** FLAGS of SHOW: the text is a ticket number or a state (OK). */
    static final int SHOW_OK = 0x00;
    /** FLAGS of SHOW: the text is an error code; the keypad beeps. */
    static final int SHOW_ERROR = 0x01;

    static final int CALL_NEXT = 0x01;
    static final int RECALL = 0x02;
    static final int START = 0x03;
    static final int FINISH = 0x04;
    static final int PAUSE = 0x05;
    static final int RESUME = 0x06;
    static final int TRANSFER = 0x07;
    static final int NO_SHOW = 0x08;
    static final int REQUEST_EVALUATION = 0x09;
    static final int SIGN_IN = 0x0A;
    static final int SIGN_OUT = 0x0B;

    /** What the keypad shows when the core refuses; stable, documented in docs/devices.md. */
    static final Map<ErrorCode, String> ERRORS = new EnumMap<>(ErrorCode.class);

    static {
        ERRORS.put(ErrorCode.INVALID_ARGUMENT, "E01");
        ERRORS.put(ErrorCode.UNKNOWN_CATEGORY, "E02");
        ERRORS.put(ErrorCode.UNKNOWN_WINDOW, "E03");
        ERRORS.put(ErrorCode.UNKNOWN_TICKET, "E04");
        ERRORS.put(ErrorCode.UNKNOWN_STAFF, "E05");
        ERRORS.put(ErrorCode.UNKNOWN_SERVICE_ITEM, "E06");
        ERRORS.put(ErrorCode.BAD_CREDENTIALS, "E07");
        ERRORS.put(ErrorCode.ILLEGAL_STATE, "E08");
        ERRORS.put(ErrorCode.WINDOW_NOT_OPEN, "E09");
        ERRORS.put(ErrorCode.NO_TICKET_WAITING, "E10");
        ERRORS.put(ErrorCode.CATEGORY_NOT_SERVED, "E11");
        ERRORS.put(ErrorCode.HALL_CLOSED, "E12");
        ERRORS.put(ErrorCode.REFUSED_BY_POLICY, "E13");
        ERRORS.put(ErrorCode.EXPIRED, "E14");
        ERRORS.put(ErrorCode.REQUEST_ID_CONFLICT, "E15");
        ERRORS.put(ErrorCode.UNAVAILABLE, "E16");
        ERRORS.put(ErrorCode.INTERNAL, "E17");
    }

    /** A key the driver does not know. */
    static final String UNKNOWN_KEY = "E90";
    /** What was entered with the key cannot be read (e.g. sign-in without '*'). */
    static final String BAD_INPUT = "E91";
    /** The queue core is not there (starting or updating): try again. */
    static final String NO_QUEUE = "E92";
    /** A code the table does not name yet (a newer core). */
    static final String OTHER = "E99";

    static String code(ErrorCode error) {
        return ERRORS.getOrDefault(error, OTHER);
    }

    static String name(int key) {
        return switch (key) {
        case CALL_NEXT -> "call-next";
        case RECALL -> "recall";
        case START -> "start";
        case FINISH -> "finish";
        case PAUSE -> "pause";
        case RESUME -> "resume";
        case TRANSFER -> "transfer";
        case NO_SHOW -> "no-show";
        case REQUEST_EVALUATION -> "request-evaluation";
        case SIGN_IN -> "sign-in";
        case SIGN_OUT -> "sign-out";
        default -> String.format("unknown key %02X", key);
        };
    }
}
