/** The ScaleIO / PowerFlex storage driver for libstorage-java. */
module io.libstorage.scaleio {
    requires io.libstorage.api;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires com.fasterxml.jackson.databind;

    opens io.libstorage.scaleio.internal to com.fasterxml.jackson.databind;

    provides io.libstorage.spi.StorageDriverProvider with io.libstorage.scaleio.internal.ScaleIoDriverProvider;
}
