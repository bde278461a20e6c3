package org.openhall.mqtt.bridge.internal.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringReader;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AnnouncementsTest {

    @Test
    void defaultTemplatesAreChineseFromTheUtf8Resource() {
        Announcements a = Announcements.defaults();
        assertEquals("请A012号到3号窗口办理", a.text("ticket.called", Map.of("ticket", "A012", "window", "3")));
        assertEquals("请A012号到3号窗口办理", a.text("ticket.recalled", Map.of("ticket", "A012", "window", "3")));
    }

    @Test
    void noTemplateOrAMissingFieldGivesNoText() {
        Announcements a = Announcements.defaults();
        assertNull(a.text("ticket.issued", Map.of("ticket", "A012")));
        assertNull(a.text("ticket.called", Map.of("ticket", "A012")));
    }

    @Test
    void templatesCanBeReplacedAndValuesAreInsertedLiterally() throws Exception {
        Announcements a = Announcements.read(new StringReader("ticket.called=Ticket {ticket}, please go to window {window}\n"));
        assertEquals("Ticket A012, please go to window $1\\", a.text("ticket.called", Map.of("ticket", "A012", "window", "$1\\")));
    }
}
