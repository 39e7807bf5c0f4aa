/**
 * The VirtualBox storage driver for libstorage-java. For now the SOAP client of the VirtualBox web service
 * ({@code io.libstorage.virtualbox.internal}); the storage driver and its provider follow.
 */
module io.libstorage.virtualbox {
    requires io.libstorage.api;
    requires java.xml;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
}
