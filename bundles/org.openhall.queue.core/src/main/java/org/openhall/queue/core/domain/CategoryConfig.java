package org.openhall.queue.core.domain;

import java.util.List;

/**
 * A category (业务类别): one queue.
 *
 * @param id           one upper-case letter A–Z: the prefix of its ticket numbers
 * @param name         display name, e.g. 社保业务
 * @param serviceItems its service items (事项)
 * @param numberDigits digits of its ticket numbers, {@value #MIN_DIGITS} ({@code A001}…{@code A999})
 *                     or {@value #MAX_DIGITS} ({@code A0001}…{@code A9999}) for a busy category
 */
public record CategoryConfig(String id, String name, List<ServiceItemConfig> serviceItems, int numberDigits) {

    /** The default: three digits, 999 tickets per category and day. */
    public static final int MIN_DIGITS = 3;
    /** Four digits, 9,999 tickets per category and day. */
    public static final int MAX_DIGITS = 4;

    public CategoryConfig {
        serviceItems = List.copyOf(serviceItems);
        if (numberDigits < MIN_DIGITS || numberDigits > MAX_DIGITS) {
            throw new IllegalArgumentException("numberDigits " + numberDigits + " is not " + MIN_DIGITS + " or "
                    + MAX_DIGITS);
        }
    }

    /** A category with three-digit numbers. */
    public CategoryConfig(String id, String name, List<ServiceItemConfig> serviceItems) {
        this(id, name, serviceItems, MIN_DIGITS);
    }

    /** Highest ticket number of the category per day: 999 or 9999. */
    public int maxNumber() {
        return numberDigits == MAX_DIGITS ? 9999 : 999;
    }
}
