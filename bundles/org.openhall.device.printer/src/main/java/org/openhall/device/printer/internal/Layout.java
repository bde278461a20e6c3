package org.openhall.device.printer.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.openhall.api.queue.IssuedTicket;
import org.openhall.api.queue.PriorityClass;

/**
 * What tickets and one-time notification slips look like, as ESC/POS. Nothing here prints a
 * citizen's name, ID number or phone number: the queue has none (R16).
 */
final class Layout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Layout() {
    }

    /** The content of the ticket's QR code: {@code {ticket}}, {@code {category}}, {@code {hall}} replaced. */
    static String qrContent(String template, String ticket, String category, String hallId) {
        return template.replace("{ticket}", ticket).replace("{category}", category).replace("{hall}", hallId);
    }

    static byte[] ticket(Texts texts, String hallName, String categoryName, IssuedTicket issued, String qr,
            String footer, ZoneId zone) {
        EscPos p = new EscPos().init().align(1);
        p.size(1, 2).line(hallName);
        p.size(1, 1).line(categoryName);
        p.feed(1).size(2, 2).bold(true).line(issued.ticket().number()).bold(false).size(1, 1);
        if (issued.ticket().priority() == PriorityClass.GREEN_CHANNEL) {
            p.bold(true).line(texts.get("priorityGreenChannel")).bold(false); // R1: others see why it goes first
        } else if (issued.ticket().priority() == PriorityClass.APPOINTMENT) {
            p.line(texts.get("priorityAppointment"));
        }
        p.feed(1);
        p.line(texts.get("peopleAhead", String.valueOf(issued.peopleAhead())));
        long wait = issued.estimatedWaitSeconds();
        p.line(wait < 0 ? texts.get("waitUnknown") : texts.get("waitMinutes", String.valueOf((wait + 59) / 60)));
        Instant at = issued.ticket().issuedAt();
        p.line(texts.get("issuedAt", TIME.format(at.atZone(zone))));
        if (qr != null && !qr.isBlank()) {
            p.qr(qr, 6);
            p.feed(1);
        }
        p.line(footer == null || footer.isBlank() ? texts.get("footer") : footer);
        return p.feed(2).cut().bytes();
    }

    /** R8: the full list of missing materials, in one go. */
    static byte[] slip(Texts texts, String hallName, String ticket, String window, List<String> missing,
            Instant at, ZoneId zone) {
        EscPos p = new EscPos().init().align(1);
        p.size(1, 2).line(hallName).size(1, 1);
        p.bold(true).line(texts.get("slipTitle")).bold(false);
        p.align(0).line(texts.get("slipTicket", ticket, window));
        p.line(texts.get("slipIntro"));
        for (int i = 0; i < missing.size(); i++) {
            p.line(texts.get("slipItem", String.valueOf(i + 1), missing.get(i)));
        }
        p.line(texts.get("slipTime", TIME.format(at.atZone(zone))));
        return p.feed(2).cut().bytes();
    }
}
