package org.openhall.device.display.internal;

import java.util.Objects;

/**
 * What a display shows: a text (a '\n' starts the second line) and whether it blinks.
 */
record Content(String text, boolean blink) {

    Content {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return (blink ? "[blink] " : "") + text.replace("\n", " / ");
    }
}
