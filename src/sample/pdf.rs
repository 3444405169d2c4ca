//! A small PDF of text lines for the sample's narratives: one page per 40
//! lines, Chinese text in a CID font (`SimSun`, not embedded, as viewers
//! substitute it) with the code of each character its Unicode code point and
//! a `ToUnicode` map of the characters used saying so, so that the text
//! layer reads back exactly.
//! Long lines wrap at 38 characters, as a page would wrap them.

/// Characters a printed line holds before it wraps.
const WRAP: usize = 38;
const LINES_PER_PAGE: usize = 40;

/// The bytes of a PDF showing `lines`.
pub fn pdf_bytes(lines: &[String]) -> Vec<u8> {
    let printed: Vec<String> = lines
        .iter()
        .flat_map(|l| {
            let chars: Vec<char> = l.chars().collect();
            if chars.is_empty() {
                return vec![String::new()];
            }
            chars
                .chunks(WRAP)
                .map(|c| c.iter().collect::<String>())
                .collect()
        })
        .collect();
    let pages: Vec<&[String]> = printed.chunks(LINES_PER_PAGE).collect();
    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor,
    // 6 ToUnicode, then a page and its content per page.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 7 + 2 * i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>".to_vec());
    objects.push(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 >>".to_vec());
    objects.push(b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>".to_vec());
    let used: std::collections::BTreeSet<char> = printed.iter().flat_map(|l| l.chars()).collect();
    objects.push(stream(&to_unicode(&used)));
    for (i, page) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                8 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream(&content(page)));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// A page's text: each line a hex string of 2-byte codes (BMP characters).
fn content(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT\n/F1 12 Tf\n14 TL\n50 800 Td\n");
    for line in lines {
        let hex: String = line
            .chars()
            .map(|c| format!("{:04X}", u32::from(c).min(0xFFFF)))
            .collect();
        text.push_str(&format!("<{hex}> Tj T*\n"));
    }
    text.push_str("ET");
    text.into_bytes()
}

/// Code `XXXX` is character U+XXXX, for each character the text uses (as
/// a subset font's map lists its glyphs), at most 100 to a block.
fn to_unicode(used: &std::collections::BTreeSet<char>) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let codes: Vec<u32> = used.iter().map(|c| u32::from(*c).min(0xFFFF)).collect();
    for block in codes.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for code in block {
            cmap.push_str(&format!("<{code:04X}> <{code:04X}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    cmap.into_bytes()
}
