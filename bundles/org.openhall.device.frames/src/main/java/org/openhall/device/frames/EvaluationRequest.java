package org.openhall.device.frames;

/**
 * The event a caller keypad posts when staff press "request evaluation" (请评价): the window's
 * evaluator prompts the citizen again for the transaction it is armed for, or re-arms for the
 * window's last finished transaction while that can still be rated (R7). Staff only ask; the
 * rating is the citizen's key press on the evaluator.
 */
public final class EvaluationRequest {

    private EvaluationRequest() {
    }

    /** Event Admin topic. */
    public static final String TOPIC = "org/openhall/device/evaluation/requested";
    /** String: the window. */
    public static final String WINDOW = "window";
    /** String: the keypad's device id. */
    public static final String DEVICE = "device";
    /** String: the ticket at the window when the key was pressed, if any. */
    public static final String TICKET = "ticket";
}
