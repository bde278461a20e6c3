package org.openhall.api.device;

/** The kinds of device of the hall ({@link Device#KIND}, the {@code type} of MQTT {@code devices/{id}}). */
public final class DeviceKinds {

    private DeviceKinds() {
    }

    /** An ESC/POS ticket printer (取号机打印机). */
    public static final String TICKET_PRINTER = "ticket-printer";
    /** A ticket kiosk (取号机): issues tickets and prints them on its printers. */
    public static final String KIOSK = "kiosk";
    /** A window's LED display (窗口屏). */
    public static final String WINDOW_DISPLAY = "window-display";
    /** A window's caller keypad (呼叫器). */
    public static final String CALLER_KEYPAD = "caller-keypad";
    /** A window's evaluator pad (评价器, R7). */
    public static final String EVALUATOR = "evaluator";
    /** A copier's page counter (复印计数器, R19). */
    public static final String COPY_COUNTER = "copy-counter";
}
