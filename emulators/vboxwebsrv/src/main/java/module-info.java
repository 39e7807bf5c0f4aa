/**
 * A protocol-faithful VirtualBox web service (vboxwebsrv) emulator: SOAP 1.1 over HTTP, machines with network
 * adapters and storage controllers, media, websessions with managed object references, session locks, progress
 * objects, a loop-device data path per simulated guest, fault injection and a request log.
 * Entry points: {@link io.libstorage.emulator.vbox.VboxWebServiceEmulator} (embedded) and
 * {@link io.libstorage.emulator.vbox.VboxWebServiceMain} (standalone).
 */
module io.libstorage.emulator.vbox {
    requires java.xml;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    /* the exported package is @NullMarked: users' nullness checkers read the annotations at compile time (transitive,
       as its signatures carry them); nothing needs them at run time, so the module path and the standalone jar may
       leave the jar out */
    requires static transitive org.jspecify;

    exports io.libstorage.emulator.vbox;
}
