/**
 * An emulator of VirtualBox's SOAP web service ({@code vboxwebsrv}) for tests without VirtualBox:
 * {@link io.libstorage.emulator.vbox.VboxWebServiceEmulator} serves the calls the VirtualBox driver makes over
 * in-memory machines, controllers and media, with fault rules and a record of every request.
 * Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.libstorage.emulator.vbox;

import org.jspecify.annotations.NullMarked;
