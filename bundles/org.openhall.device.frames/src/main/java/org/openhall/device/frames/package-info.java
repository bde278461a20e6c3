/**
 * The FF 68 L L 68 frame family of window keypads and evaluators ({@link org.openhall.device.frames.Frame68}),
 * the polled bus device both drivers build on ({@link org.openhall.device.frames.BusDevice}), key
 * press sequence numbers turned into request ids ({@link org.openhall.device.frames.Presses}) and
 * Chinese texts from resources. Not exported: each driver bundle copies this package privately
 * (bnd {@code -conditionalpackage}), so the keypad and evaluator bundles do not depend on each other.
 */
package org.openhall.device.frames;
