/**
 * The hall's queue: tickets, windows, the operations staff and devices perform on them, the
 * read model screens show, and the events every state change produces.
 *
 * <p>The vocabulary follows {@code shared/HALL-RULES.md}; rule ids (R1…R21) in the documentation
 * refer to it. No type here carries a citizen's name, ID number or phone number (R16).
 */
@Export
@Version("1.2.0")
package org.openhall.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
