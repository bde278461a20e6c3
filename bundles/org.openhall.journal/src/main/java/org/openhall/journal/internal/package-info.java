/**
 * The journal's implementation: the writer thread with group commit, the SQLite schema, the file
 * lock and the salvage logic. Private to the bundle (not exported); use {@code org.openhall.journal}.
 */
package org.openhall.journal.internal;
