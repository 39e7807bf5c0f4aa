package io.libstorage.scaleio.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A gateway certificate refused by the TLS checks: never retried (the same certificate would be refused again) and
 * reported as a configuration problem that says what the gateway presented (subject, names, issuer, validity), what
 * was expected (a certificate for the endpoint's host, a chain to a trusted CA) and which setting to change
 * ({@code scaleio.endpoint}, {@code scaleio.caCertificate}, or {@code scaleio.insecure}). {@link #recording} wraps the
 * trust managers so that the presented chain travels with the refusal.
 */
final class TlsRejection {
    private TlsRejection() {
    }

    /** A refusal that carries the chain the gateway presented. */
    static final class Refused extends CertificateException {
        private final transient X509Certificate[] chain;
        private final CertificateException check;

        Refused(X509Certificate[] chain, CertificateException check) {
            super(check.getMessage(), check);
            this.chain = chain == null ? new X509Certificate[0] : chain.clone();
            this.check = check;
        }
    }

    /** The trust managers, each made to say which chain it refused. */
    static TrustManager[] recording(TrustManager[] managers) {
        TrustManager[] out = new TrustManager[managers.length];
        for (int i = 0; i < managers.length; i++) {
            out[i] = managers[i] instanceof X509ExtendedTrustManager x ? new Recording(x) : managers[i];
        }
        return out;
    }

    /** The certificate refusal behind a failed request, if that is why it failed. */
    static Optional<CertificateException> of(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) {
            // HttpClient's own host name check, after a handshake the JDK's checks passed
            return Optional.of(new CertificateException(e.getMessage(), e));
        }
        if (!(e instanceof SSLException)) {
            return Optional.empty();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException c) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The configuration error for a refused certificate of {@code settings}' gateway. */
    static InvalidConfigurationException error(ErrorContext ctx, ScaleIoSettings settings, CertificateException rejected) {
        CertificateException check = rejected instanceof Refused r ? r.check : rejected;
        X509Certificate[] chain = rejected instanceof Refused r ? r.chain : new X509Certificate[0];
        String host = settings.endpoint().getHost();
        // the JDK's host name check throws a plain CertificateException; chain and validity problems are subclasses
        boolean wrongName = check.getClass() == CertificateException.class;
        boolean outOfDate = hasCause(check, CertificateExpiredException.class) || hasCause(check, CertificateNotYetValidException.class);
        String presented = chain.length == 0 ? "" : "; it presented " + describe(chain[0])
                + (chain.length > 1 ? ", in a chain of " + chain.length + " ending at " + chain[chain.length - 1].getSubjectX500Principal().getName() : "");
        String expected;
        String key;
        String fix;
        if (wrongName) {
            expected = "a certificate for " + host + " (the host of scaleio.endpoint)";
            key = "scaleio.endpoint";
            fix = "write scaleio.endpoint with a name or address the certificate holds";
        } else if (outOfDate) {
            expected = "a certificate valid now";
            key = "scaleio.caCertificate";
            fix = "renew the gateway's certificate";
        } else {
            expected = "a chain to a CA the JDK trusts" + settings.caCertificate().map(p -> " or to the certificate(s) in scaleio.caCertificate ("
                    + p + ")").orElse(" (scaleio.caCertificate is not set)");
            key = "scaleio.caCertificate";
            fix = "trust it with scaleio.caCertificate (a PEM file of the certificate or of its CA)";
        }
        return new InvalidConfigurationException(ctx, key, "TLS: the certificate of the gateway " + settings.endpoint() + " is "
                + (wrongName ? "not issued for " + host : outOfDate ? "out of date" : "not trusted") + presented
                + "; expected " + expected + " (the check said: " + check.getMessage() + "); " + fix
                + ", or set scaleio.insecure: true to verify neither the certificate chain nor the host name (dangerous)");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** Subject, names, issuer and validity of a certificate. */
    static String describe(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> n : alt) {
                    Object type = n.get(0);
                    if (Integer.valueOf(2).equals(type)) {
                        names.add("DNS:" + n.get(1));
                    } else if (Integer.valueOf(7).equals(type)) {
                        names.add("IP:" + n.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable names)");
        }
        return "'" + c.getSubjectX500Principal().getName() + "' for " + (names.isEmpty() ? "no alternative names" : names)
                + ", issued by '" + c.getIssuerX500Principal().getName() + "', valid " + c.getNotBefore().toInstant()
                + " to " + c.getNotAfter().toInstant();
    }

    /** Delegates every check and, on a refusal, says which chain was refused. */
    private static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        Recording(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw new Refused(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw new Refused(chain, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new Refused(chain, e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
