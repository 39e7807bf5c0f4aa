/** Example programs that use only the public API of libstorage-java. */
module io.libstorage.examples {
    requires io.libstorage.core;
    requires io.libstorage.inmemory;
    requires io.libstorage.emulator.vbox;

    exports io.libstorage.examples;
    exports io.libstorage.examples.mesos;
}
