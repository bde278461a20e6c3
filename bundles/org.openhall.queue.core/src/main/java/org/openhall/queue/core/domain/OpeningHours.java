package org.openhall.queue.core.domain;

import java.time.LocalTime;

/** One opening period of a day, e.g. 09:00–12:00; a day may have several (R13). */
public record OpeningHours(LocalTime open, LocalTime close) {
}
