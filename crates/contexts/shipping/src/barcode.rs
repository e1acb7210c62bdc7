//! The Code 128 barcode printed on labels: every scanner reads it, and it holds the whole
//! tracking number (letters too). The symbol table and check symbol come from `barcoders`;
//! this module picks the character sets and hands the label the bars as module runs.

use barcoders::sym::code128::Code128;

/// The modules (narrowest bar or space) of `text` as Code 128, quiet zones not included:
/// `true` is a bar. The digits of a built-in tracking number go in set C (two per symbol,
/// so the code stays short enough to scan at label size); anything else in set B.
pub fn code128(text: &str) -> Result<Vec<bool>, String> {
    let data = match text.strip_prefix("OX") {
        // Set B for the letters, C for pairs of digits, B again for an odd last digit.
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let (pairs, last) = digits.split_at(digits.len() - digits.len() % 2);
            let mut data = String::from("ƁOX");
            if !pairs.is_empty() {
                data.push('Ć');
                data.push_str(pairs);
            }
            if !last.is_empty() {
                data.push('Ɓ');
                data.push_str(last);
            }
            data
        }
        _ => format!("Ɓ{text}"),
    };
    let code = Code128::new(&data).map_err(|e| format!("cannot encode {text:?} as Code 128: {e:?}"))?;
    Ok(code.encode().into_iter().map(|m| m == 1).collect())
}

/// The bars of `modules` as `(first module, width in modules)`: what the label draws as
/// rectangles.
pub fn bars(modules: &[bool]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &bar) in modules.iter().enumerate() {
        match out.last_mut() {
            Some((start, width)) if bar && *start + *width == i => *width += 1,
            _ if bar => out.push((i, 1)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(modules: &[bool]) -> String {
        modules.iter().map(|&m| if m { '1' } else { '0' }).collect()
    }

    #[test]
    fn encodes_the_symbols_of_the_code_128_table() {
        // Start C (105), "00" (value 0), check symbol (105 + 0·1) mod 103 = 2, stop: as the
        // table of ISO/IEC 15417 gives them.
        let m = Code128::new("Ć00").map(|c| c.encode()).unwrap_or_default();
        let expected = ["11010011100", "11011001100", "11001100110", "1100011101011"].concat();
        assert_eq!(m.iter().map(|&b| char::from(b'0' + b)).collect::<String>(), expected);

        // "OX" in set B (start B 104, O = 47, X = 56), then set C for 12 digits, set B for the
        // last: 2 + 1 + 6 + 1 + 1 data symbols, start, check and the 13-module stop.
        let n = code128("OX1234567890123").unwrap_or_default();
        assert_eq!(n.len(), (1 + 11 + 1) * 11 + 13);
        let s = bits(&n);
        assert!(s.starts_with("11010010000"), "start B: {s}");
        assert_eq!(&s[11..22], "10001110110", "O: widths 133121");
        assert_eq!(&s[22..33], "11100010110", "X: widths 331121");
        assert!(s.ends_with("1100011101011"), "stop");
        assert!(code128("any text 1").is_ok());
    }

    #[test]
    fn bars_are_runs_of_dark_modules() {
        let m = [true, true, false, true, false, false, true, true, true];
        assert_eq!(bars(&m), [(0, 2), (3, 1), (6, 3)]);
        assert!(bars(&[false, false]).is_empty());
    }
}
