#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/base/encoding.h"
#include "wascc/wascap/nkeys.h"

using namespace wascc;

namespace {

std::string public_of(const char* seed) {
  auto key = nkeys::KeyPair::from_seed(seed);
  REQUIRE_MESSAGE(key.ok(), key.error().message);
  return key->public_key_text();
}

}  // namespace

TEST_CASE("nkeys vectors from the reference implementations (spec §6)") {
  // 1. Rust nkeys roundtrip_encoding_go_compat.
  auto go_compat = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  REQUIRE(go_compat.ok());
  CHECK(go_compat->public_key_text() == "ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2");
  std::array<uint8_t, 32> raw{};
  auto raw_hex = "f6f2db21bca124d484d534f4d20f5a7574470257c184c5a33673c5c8e5e847f1";
  for (size_t i = 0; i < 32; ++i)
    raw[i] = static_cast<uint8_t>(std::stoi(std::string(raw_hex + 2 * i, 2), nullptr, 16));
  CHECK(nkeys::KeyPair::from_raw_seed(nkeys::KeyType::Account, raw).seed_text() ==
        "SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  // 5, 6, 7.
  CHECK(public_of("SCANU5JGFEPJ2XNFQ6YMDRHMNFAL6ZT3DCU3ZMMHHML7GLFE3YIH5TBM6E") ==
        "CB4GF2MDEMYU7QEB4CSJ7NRQ7TVHBKMDRLIA72WTRCBUBVSDYBXAEZJ6");
  CHECK(public_of("SAAAF62YYA6UCKZNSE7UF7GVWEHHYASDSUSSVCEEHTH3WY57DJKVXKIKOY") ==
        "ADPCF65BVZVFN43HS3Z43HJMI5E55T2UKCEK5FSMXSF2EYLMYMI2UD7V");
  CHECK(public_of("SMAJFHSZUOYLLPIW3HLYOMM7F6GABRPCETIVQ27BVYZ55XQNFYNTUTH57Y") ==
        "MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3");
  CHECK(public_of("SMAAGJ4DY4FNV4VJWA6QU7UQIL7DKJR4Z3UH7NBMNTH22V6VEIJGJUBQN4") ==
        "MDASMGHPZPJIKWGFYPZWA7LYWHKOZR5N726LUSBKX54LXX457V2TDVU4");
  CHECK(public_of("SUAMAR5BIQ2AZCPYRTLLK7UGWMGSG2GWD2VPIXBNO7ZIB6TZAU4QAEJS2Q") ==
        "UA7S4MMUYV7UW2KFTEIOFQPROQJJPD7OCCHIPDAVRTHD7ZJLL2SZIPGW");
  CHECK(public_of("SUAOTBNEUHZDFJT3EUMELT7MQTP24JF3XVCXQNDSCU74G5IU6VAJBKH5LI") ==
        "UDE6WTGLTTPCRJRJCKBJRGVNZTLIVR7LEEELR4CYWWWBKJS7XYIKXDUU");
}

TEST_CASE("nkeys.js 'albertor' vector: seed, public and private encodings") {
  std::array<uint8_t, 32> raw{};
  std::string text = "albertoralbertoralbertoralbertor";
  std::copy(text.begin(), text.end(), raw.begin());
  auto key = nkeys::KeyPair::from_raw_seed(nkeys::KeyType::User, raw);
  CHECK(key.seed_text() == "SUAGC3DCMVZHI33SMFWGEZLSORXXEYLMMJSXE5DPOJQWYYTFOJ2G64VAPY");
  CHECK(key.public_key_text() == "UAHJLSMYZDJCBHQ2SARL37IEALR3TI7VVPZ2MJ7F4SZKNOG7HJJIYW5T");
  CHECK(key.private_key_text() ==
        "PBQWYYTFOJ2G64TBNRRGK4TUN5ZGC3DCMVZHI33SMFWGEZLSORXXEDUVZGMMRURATYNJAIV57UCAFY5ZUP22X45GE7S6JMVGXDPTUUUMRKXA");
}

TEST_CASE("signatures: nkeys.js nonce vector and Go nk README vector") {
  auto key = nkeys::KeyPair::from_seed("SAAK7IAXLQQ2A65HJCMUBR6IG6GP3AOXQGEPCNQIIAG7ZZ7XCEFIROMY6U");
  REQUIRE(key.ok());
  CHECK(key->public_key_text() == "ACLG5IASA6EMBRAUOXXWX44GNBZPDJO3A3RYDT7FDYYEPBJIBRGP6WHZ");
  auto signature = key->sign(as_bytes("2w2TrJVMAqwqZbg0nXovhQ=="));
  CHECK(encoding::base64url_encode(signature) ==
        "F64qNsH2n_XllIX7qYa1YqTTH_K61tPHlvvsN_lhlo-tCpTaKfp0_yWnw5IsQeaiSqwN2rUs20Rk1VV9vtiBBw");
  CHECK(nkeys::verify_signature(key->public_key(), as_bytes("2w2TrJVMAqwqZbg0nXovhQ=="), signature));
  CHECK_FALSE(nkeys::verify_signature(key->public_key(), as_bytes("2w2TrJVMAqwqZbg0nXovhQ="), signature));

  auto user = nkeys::decode_public_key("UD466L6EBCM3YY5HEGHJANNTN4LSKTSUXTH7RILHCKEQMQHTBNLHJJXT");
  REQUIRE(user.ok());
  CHECK(user->type == nkeys::KeyType::User);
  auto go_signature = encoding::base64url_decode(
      "0CK1XmkxNfUGfudxliWTWeoETgIo23m9qowS9yTfYFSrjR8HgAW63jQ3NxPU_jG38hZPW61IZSun37N690CkDg");
  REQUIRE(go_signature.ok());
  CHECK(nkeys::verify_signature(*user, as_bytes("Hello World!\n"), *go_signature));
  CHECK_FALSE(nkeys::verify_signature(*user, as_bytes("Hello World!"), *go_signature));
}

TEST_CASE("nkeys negative vectors: length, checksum, prefix, alphabet") {
  auto bad_checksum = nkeys::KeyPair::from_seed("FAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  REQUIRE_FALSE(bad_checksum.ok());
  CHECK(bad_checksum.error().message == "seed checksum mismatch (mistyped or truncated key?)");

  auto short_key = nkeys::decode_public_key("ACARVGW77LDNWYXBAH62YKKQRVHYOTKKDDVVJVOISOU75WQPXOO7N3");
  REQUIRE_FALSE(short_key.ok());
  CHECK(short_key.error().message == "public key must be 56 characters, got 54");

  auto bad_prefix = nkeys::decode_public_key("ZCO4XYNKEN7ZFQ42BHYCBYI3K7USOGG43C2DIJZYWSQ2YEMBOZWN6PYH");
  REQUIRE_FALSE(bad_prefix.ok());
  CHECK(bad_prefix.error().message == "public key has an unknown type prefix 'Z'");

  CHECK_ERROR(nkeys::KeyPair::from_seed(std::string(58, 'A')),
              "not a seed: a seed starts with 'S' (a public key was given?)");
  auto bad_alphabet = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4O!#4");
  REQUIRE_FALSE(bad_alphabet.ok());
  CHECK(bad_alphabet.error().message.find("not valid base32") != std::string::npos);

  auto public_as_seed = nkeys::KeyPair::from_seed("ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2");
  REQUIRE_FALSE(public_as_seed.ok());
  CHECK(public_as_seed.error().message == "seed must be 58 characters, got 56");
}

TEST_CASE("generated keys of every signing type round-trip through their text forms") {
  for (auto type : {nkeys::KeyType::Account, nkeys::KeyType::Module, nkeys::KeyType::Operator, nkeys::KeyType::Server,
                    nkeys::KeyType::User, nkeys::KeyType::Service, nkeys::KeyType::Cluster}) {
    auto key = nkeys::KeyPair::generate(type);
    std::string seed = key.seed_text();
    std::string pub = key.public_key_text();
    CHECK(seed.size() == 58);
    CHECK(seed[0] == 'S');
    CHECK(seed[1] == nkeys::type_letter(type));
    CHECK(pub[0] == nkeys::type_letter(type));
    auto again = nkeys::KeyPair::from_seed(seed);
    REQUIRE(again.ok());
    CHECK(again->type() == type);
    CHECK(again->public_key_text() == pub);
    auto decoded = nkeys::decode_public_key(pub);
    REQUIRE(decoded.ok());
    CHECK(decoded->type == type);
  }
  CHECK(nkeys::key_type_from_name("Component") == nkeys::KeyType::Module);
  CHECK(nkeys::key_type_from_name("provider") == nkeys::KeyType::Service);
  CHECK_FALSE(nkeys::key_type_from_name("bogus").has_value());
}
