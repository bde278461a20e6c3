/**
 * A crash-safe, append-only journal on SQLite, shared by the bundles that must not lose what they
 * acknowledged (the queue core's operations, the MQTT bridge's outbox).
 *
 * <p>{@link org.openhall.journal.Journal} appends units of opaque entries (with an optional
 * request record for idempotent retries) and reports each unit durable through a future, sharing
 * fsyncs among concurrent callers; it keeps snapshots and prunes what they cover.
 * {@link org.openhall.journal.Salvage} copies the valid prefix of a damaged journal into a new
 * file. Every type here is a final class or a record that only this bundle implements, so
 * {@code @ProviderType}/{@code @ConsumerType} would not change how bnd versions the package.
 * See {@code docs/journal.md} for the durability contract, the schema and the salvage command.
 */
@Export
@Version("1.4.0")
package org.openhall.journal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
