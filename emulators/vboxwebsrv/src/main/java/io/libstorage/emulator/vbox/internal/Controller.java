package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.StorageBus;

/** A storage controller's settings. */
record Controller(String name, StorageBus bus, int portCount) {
}
