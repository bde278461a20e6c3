package org.openhall.api.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The detail codes of {@link DeviceState#detail()}: stable names a dashboard can switch on, each
 * with a short Chinese text for screens ({@link #text(String)}, from the resource
 * {@code details.properties} beside this class). A driver may use codes of its own: they get the
 * text of {@link #OTHER} until the resource names them.
 */
public final class DeviceDetail {

    private DeviceDetail() {
    }

    /** Nothing to add. */
    public static final String NONE = DeviceState.NONE;
    /** Not configured with a port, or the port does not exist (unplugged). */
    public static final String NO_PORT = "NO_PORT";
    /** The port is there but the device does not answer. */
    public static final String NO_ANSWER = "NO_ANSWER";
    /** The device answered with frames that could not be read. */
    public static final String GARBLED = "GARBLED";
    /** Paper near its end (a warning: ONLINE). */
    public static final String PAPER_NEAR_END = "PAPER_NEAR_END";
    /** Paper out. */
    public static final String PAPER_OUT = "PAPER_OUT";
    /** A cover is open. */
    public static final String COVER_OPEN = "COVER_OPEN";
    /** The cutter failed. */
    public static final String CUTTER_ERROR = "CUTTER_ERROR";
    /** The printer reports itself offline (e.g. feeding, error state). */
    public static final String PRINTER_OFFLINE = "PRINTER_OFFLINE";
    /** A kiosk none of whose printers can print. */
    public static final String NO_PRINTER = "NO_PRINTER";
    /** A copier jammed. */
    public static final String JAM = "JAM";
    /** A copier's paper tray is empty. */
    public static final String TRAY_EMPTY = "TRAY_EMPTY";
    /** Any other fault; its raw diagnostic is in the log. */
    public static final String OTHER = "OTHER";

    private static final Properties TEXTS = load();

    /** The short Chinese text of a detail code for screens; {@link #OTHER}'s for unknown codes. */
    public static String text(String code) {
        String t = code == null ? null : TEXTS.getProperty(code);
        return t != null ? t : TEXTS.getProperty(OTHER, "设备异常");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = DeviceDetail.class.getResourceAsStream("details.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
