use super::*;
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};

fn vapid() -> Vapid {
    Vapid::parse(&Vapid::generate().expect("a key")).expect("its file reads back")
}

fn b64(s: &str) -> Vec<u8> {
    B64.decode(s).expect("base64url")
}

#[test]
fn a_vapid_token_is_an_es256_jwt_for_the_push_service_signed_by_the_key_it_names() {
    let vapid = vapid();
    let header = vapid.authorization("https://push.example.net", "mailto:shop@example.com", 1_000).expect("signed");
    let (t, k) = header.strip_prefix("vapid t=").and_then(|r| r.split_once(", k=")).expect("t= and k=");
    assert_eq!(k, vapid.public_key());
    let (signed, signature) = t.rsplit_once('.').expect("three parts");
    let (head, claims) = signed.split_once('.').expect("three parts");
    let head: serde_json::Value = serde_json::from_slice(&b64(head)).expect("JSON");
    let claims: serde_json::Value = serde_json::from_slice(&b64(claims)).expect("JSON");
    assert_eq!(head["alg"], "ES256");
    assert_eq!(
        claims,
        serde_json::json!({"aud": "https://push.example.net", "exp": 1_000 + 12 * 3600, "sub": "mailto:shop@example.com"})
    );
    let key = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, b64(k));
    key.verify(signed.as_bytes(), &b64(signature)).expect("the signature verifies");
    assert!(key.verify(format!("{signed}x").as_bytes(), &b64(signature)).is_err());
}

#[test]
fn keys_must_be_a_point_and_sixteen_bytes() {
    let vapid = vapid();
    let point = b64(&vapid.public_key());
    assert!(keys_valid(&point, &[7; 16]));
    assert!(!keys_valid(&point, &[7; 15]));
    let mut off_curve = point.clone();
    off_curve[64] ^= 1;
    assert!(!keys_valid(&off_curve, &[7; 16]));
    assert!(!keys_valid(&[4; 65], &[7; 16]));
}

#[test]
fn a_payload_too_big_for_one_record_is_refused() {
    let vapid = vapid();
    let target = PushTarget { endpoint: String::new(), p256dh: b64(&vapid.public_key()), auth: vec![1; 16] };
    let sealed = encrypt(&target, &[b'a'; PAYLOAD_MAX]).expect("fits");
    assert_eq!(sealed.len(), RECORD_SIZE as usize);
    assert!(encrypt(&target, &[b'a'; PAYLOAD_MAX + 1]).is_err());
}

/// RFC 8291 Appendix A: the example's keys, salt and secret give the example's message.
#[test]
fn the_rfc_8291_example_encrypts_to_its_message() {
    let ecdh_secret = b64("kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs");
    let ua_public = b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
    let as_public = b64("BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
    let auth = b64("BTBZMqHH6r4Tts7J_aSIgg");
    let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().expect("16 bytes");
    let sealed =
        encrypt_with(&ecdh_secret, &ua_public, &as_public, &auth, &salt, b"When I grow up, I want to be a watermelon")
            .expect("encrypts");
    assert_eq!(
        B64.encode(sealed),
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    );
}
