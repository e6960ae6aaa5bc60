#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/base/encoding.h"
#include "wascc/base/sha256.h"
#include "wascc/base/utf8.h"

using namespace wascc;

TEST_CASE("base64url without padding: RFC 4648 vectors") {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* encoded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    CHECK(encoding::base64url_encode(as_bytes(plain[i])) == encoded[i]);
    auto back = encoding::base64url_decode(encoded[i]);
    REQUIRE(back.ok());
    CHECK(as_text(*back) == plain[i]);
  }
  CHECK(encoding::base64url_encode(Bytes{0xfb, 0xff}) == "-_8");
}

TEST_CASE("base64url decoding is strict") {
  CHECK_ERROR(encoding::base64url_decode("Zg=="), "invalid base64url character at position 2");  // padding
  CHECK_ERROR(encoding::base64url_decode("Zm9+"), "invalid base64url character at position 3");  // standard alphabet
  CHECK_ERROR(encoding::base64url_decode("Zh"), "non-canonical trailing bits in base64url");  // non-zero trailing bits
  CHECK_ERROR(encoding::base64url_decode("Zm9vY"), "invalid base64url length");               // impossible length
  CHECK(encoding::base64url_decode("Zm9+").error().message == "invalid base64url character at position 3");
}

TEST_CASE("base32 without padding: RFC 4648 vectors") {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* encoded[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
  for (int i = 0; i < 7; ++i) {
    CHECK(encoding::base32_encode(as_bytes(plain[i])) == encoded[i]);
    auto back = encoding::base32_decode(encoded[i]);
    REQUIRE(back.ok());
    CHECK(as_text(*back) == plain[i]);
  }
  CHECK_ERROR(encoding::base32_decode("my"), "invalid base32 character at position 0");    // lower case
  CHECK_ERROR(encoding::base32_decode("MZ"), "non-canonical trailing bits in base32");     // trailing bits
  CHECK_ERROR(encoding::base32_decode("MY=="), "invalid base32 character at position 2");  // padding
}

TEST_CASE("CRC-16/XMODEM check value") {
  CHECK(encoding::crc16_xmodem(as_bytes("123456789")) == 0x31C3);
  CHECK(encoding::crc16_xmodem({}) == 0);
}

TEST_CASE("SHA-256 known answers, one-shot and incremental") {
  CHECK(sha256::hash_hex_upper(as_bytes("abc")) == "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  CHECK(sha256::hash_hex_upper(ByteView{}) == "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  sha256::Hasher hasher;
  hasher.update(as_bytes("a"));
  hasher.update(as_bytes("bc"));
  CHECK(hasher.finish() == sha256::hash(as_bytes("abc")));
}

TEST_CASE("SHA-256: FIPS 180-2's multi-block vectors, whole and streamed in uneven pieces") {
  // Independent answers (the standard's own), not this project's one-shot hash.
  struct Vector {
    std::string message;
    const char* digest;
  };
  const Vector vectors[] = {
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",  // 448 bits: two blocks after padding
       "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrst"
       "u",
       "CF5B16A778AF8380036CE59E7B0492370B249B11E8F07A51AFAC45037AFEE9D1"},
      {std::string(1'000'000, 'a'), "CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0"},
  };
  for (const auto& vector : vectors) {
    CAPTURE(vector.message.size());
    CHECK(sha256::hash_hex_upper(as_bytes(vector.message)) == vector.digest);
    sha256::Hasher hasher;
    const ByteView all = as_bytes(vector.message);
    for (size_t at = 0, piece = 1; at < all.size(); at += piece, piece = piece * 3 % 1021 + 1) {
      hasher.update(all.subspan(at, std::min(piece, all.size() - at)));
    }
    const auto digest = hasher.finish();
    CHECK(encoding::hex_upper(ByteView(digest.data(), digest.size())) == vector.digest);
  }
}

TEST_CASE("UTF-8 validation") {
  CHECK(utf8::is_valid(as_bytes("jwt")));
  CHECK(utf8::is_valid(as_bytes("caf\xc3\xa9 \xf0\x9f\x98\x80")));
  CHECK_FALSE(utf8::is_valid(as_bytes("\xc3")));          // truncated
  CHECK_FALSE(utf8::is_valid(as_bytes("\xc0\xaf")));      // overlong '/'
  CHECK_FALSE(utf8::is_valid(as_bytes("\xed\xa0\x80")));  // surrogate
  CHECK_FALSE(utf8::is_valid(as_bytes("\xff")));
}
