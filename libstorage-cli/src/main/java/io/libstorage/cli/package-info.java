/**
 * The {@code libstorage} command: {@link io.libstorage.cli.Main} runs the volume verbs, {@code service start} (the
 * Docker plugin), {@code csi start} (the CSI plugin) and, when invoked as {@code dvdcli}, the dvdcli-compatible mode;
 * {@link io.libstorage.cli.ExitCode} holds its exit statuses and
 * {@link io.libstorage.cli.CliEnvironment} is what a run sees of its process (arguments, environment, streams).
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.cli;

import org.jspecify.annotations.NullMarked;
