/**
 * The VirtualBox web service client: SOAP envelopes ({@link io.libstorage.virtualbox.internal.SoapEnvelope}), their
 * parsing ({@link io.libstorage.virtualbox.internal.SoapResponseParser}), the transport and the typed client
 * ({@link io.libstorage.virtualbox.internal.VboxWebService}), and the driver's settings
 * ({@link io.libstorage.virtualbox.internal.VirtualBoxSettings}).
 */
package io.libstorage.virtualbox.internal;
