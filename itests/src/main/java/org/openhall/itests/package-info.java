/** Integration tests that run inside Felix with the runtime's bundle set. Not exported. */
package org.openhall.itests;
