/**
 * The VirtualBox storage driver for libstorage-java: VirtualBox hard disks hot-plugged into this guest's VM through the
 * VirtualBox web service, with a small SOAP client of its own ({@code io.libstorage.virtualbox.internal}).
 */
module io.libstorage.virtualbox {
    requires io.libstorage.api;
    requires java.xml;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;

    provides io.libstorage.spi.StorageDriverProvider with io.libstorage.virtualbox.internal.VirtualBoxDriverProvider;
}
