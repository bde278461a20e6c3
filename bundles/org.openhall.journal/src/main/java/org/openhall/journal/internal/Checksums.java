package org.openhall.journal.internal;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * CRC-32C of every stored row. SQLite's {@code quick_check} finds damaged b-tree pages but not
 * changed bytes inside a row; the checksum lets {@code replay}, {@code latestSnapshot},
 * {@code request} and the salvage command detect those too, so that damaged data is reported
 * instead of being handed to the caller.
 */
final class Checksums {

    private Checksums() {
    }

    static long entry(long seq, long unitLast, String type, long timeMillis, String requestId, byte[] payload) {
        Crc crc = new Crc();
        crc.add(seq).add(unitLast).add(type).add(timeMillis).add(requestId).add(payload);
        return crc.value();
    }

    static long request(String requestId, String fingerprint, long firstSeq, long lastSeq, long afterSeq,
            long recordedAt, byte[] result) {
        Crc crc = new Crc();
        crc.add(requestId).add(fingerprint).add(firstSeq).add(lastSeq).add(afterSeq).add(recordedAt).add(result);
        return crc.value();
    }

    static long snapshot(long seq, long timeMillis, byte[] state) {
        Crc crc = new Crc();
        crc.add(seq).add(timeMillis).add(state);
        return crc.value();
    }

    /** Feeds fields with their lengths, so that moving bytes between fields changes the sum. */
    private static final class Crc {
        private final CRC32C crc = new CRC32C();
        private final byte[] buffer = new byte[8];

        Crc add(long v) {
            for (int i = 0; i < 8; i++) {
                buffer[i] = (byte) (v >>> (56 - 8 * i));
            }
            crc.update(buffer, 0, 8);
            return this;
        }

        Crc add(String s) {
            return add(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        Crc add(byte[] bytes) {
            if (bytes == null) {
                return add(-1L);
            }
            add((long) bytes.length);
            crc.update(bytes, 0, bytes.length);
            return this;
        }

        long value() {
            return crc.getValue();
        }
    }
}
