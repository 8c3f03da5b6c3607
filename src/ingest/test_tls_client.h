// Test-only: a blocking HTTPS/1.1 client (Beast over OpenSSL) that trusts a
// given CA, checks the name "localhost", and can present a client
// certificate. Counterpart of test_http_client.h.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <string>

#include "ingest/test_http_client.h"

namespace loupe::ingest::testing {

class TlsTestClient {
 public:
  TlsTestClient(uint16_t port, const std::string& ca_file, const std::string& cert_file = "",
                const std::string& key_file = "")
      : port_(port), ctx_(boost::asio::ssl::context::tls_client) {
    ctx_.load_verify_file(ca_file);
    ctx_.set_verify_mode(boost::asio::ssl::verify_peer);
    if (!cert_file.empty()) {
      ctx_.use_certificate_chain_file(cert_file);
      ctx_.use_private_key_file(key_file, boost::asio::ssl::context::pem);
    }
    stream_.emplace(ioc_, ctx_);
  }

  // Connects and handshakes; returns the error (none on success).
  boost::system::error_code Connect() {
    boost::system::error_code ec;
    SSL* ssl = stream_->native_handle();
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    boost::beast::get_lowest_layer(*stream_).connect(
        {boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec) return ec;
    stream_->handshake(boost::asio::ssl::stream_base::client, ec);
    return ec;
  }

  // The common name of the server's certificate.
  std::string PeerCommonName() {
    X509* cert = SSL_get1_peer_certificate(stream_->native_handle());
    if (cert == nullptr) return "";
    char buf[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof(buf));
    X509_free(cert);
    return buf;
  }

  ClientResponse Request(const std::string& method, const std::string& target,
                         const std::string& body = "",
                         const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(http::field::host, "localhost");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(*stream_, req);
    http::response_parser<http::string_body> parser;
    http::read(*stream_, buffer_, parser);
    const auto& res = parser.get();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = res.body();
    out.keep_alive = res.keep_alive();
    return out;
  }

 private:
  uint16_t port_;
  boost::asio::io_context ioc_;
  boost::asio::ssl::context ctx_;
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace loupe::ingest::testing
