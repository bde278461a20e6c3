/** The systemd notifier: private, nothing is exported. */
package org.openhall.systemd.internal;
