package org.openhall.itests.rollback;

/** A service nobody provides: the broken policy version's reference to it is never satisfied. */
public interface Nobody {
}
