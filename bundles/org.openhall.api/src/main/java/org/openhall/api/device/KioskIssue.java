package org.openhall.api.device;

import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.Result;

/**
 * What a kiosk's issue operation returns.
 *
 * @param ticket    the queue's result: the ticket, or why none was issued
 * @param printed   whether the ticket slip was printed; never true when the print failed (R5)
 * @param printerId the printer that printed it, else null
 * @param notice    when not printed, the notice shown to the citizen and the hall screens
 *                  (e.g. "设备故障,暂停使用"), else null
 */
public record KioskIssue(Result<IssuedTicket> ticket, boolean printed, String printerId, String notice) {
}
