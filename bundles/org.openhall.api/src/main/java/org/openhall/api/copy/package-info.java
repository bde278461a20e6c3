/**
 * The free copy service's page counts (复印计数, R19): the {@link org.openhall.api.copy.CopyCounts}
 * service a copy counter driver registers, read by the statistics ({@code stats/today}'s
 * {@code copies} section) and the console, and the Event Admin event that says new pages were
 * counted.
 */
@Export
@Version("1.0.0")
package org.openhall.api.copy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
