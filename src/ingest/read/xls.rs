//! `.xls` (BIFF8): its records walked before calamine sees the file, so that
//! a damaged or crafted sheet is refused before calamine reserves memory
//! for it.

use std::io::Cursor;

use super::{Extent, Limits, ReadError};

/// calamine reads every sheet of an `.xls` when it opens the file, into a
/// range spanning the sheet's cells, and reserves room for what the
/// sheet's DIMENSIONS record declares. A damaged record (the fuzzer found
/// one-byte flips asking for 3.5 PB and 96 GB, which abort the process)
/// is refused here, before calamine sees the file: the BIFF records of
/// every sheet are walked as calamine walks them and each sheet's extent
/// held to the [`Limits`].
pub(super) fn check_xls_extent(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    use std::io::Read;
    let Ok(mut container) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports what is wrong with the container
    };
    let mut stream = match container.open_stream("/Workbook") {
        Ok(s) => s,
        Err(_) => match container.open_stream("/Book") {
            Ok(s) => s,
            Err(_) => return Ok(()),
        },
    };
    let mut data = Vec::new();
    if stream.read_to_end(&mut data).is_err() {
        return Ok(());
    }
    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const BOUNDSHEET: u16 = 0x0085;
    const DIMENSIONS: u16 = 0x0200;
    // The workbook globals name where each sheet's records start.
    let sheet_starts: Vec<usize> = biff_records(&data, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, body)| *kind == BOUNDSHEET && body.len() >= 4)
        .map(|(_, body)| u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize)
        .collect();
    for (sheet, start) in sheet_starts.into_iter().enumerate() {
        let mut extent = Extent::default();
        // Embedded substreams (charts) are skipped, as calamine does.
        let mut depth = 0usize;
        for (kind, body) in biff_records(&data, start) {
            match kind {
                BOF => depth += 1,
                EOF if depth <= 1 => break,
                EOF => depth -= 1,
                _ if depth > 1 => {}
                DIMENSIONS => check_dimensions(body)?,
                _ => add_cells(kind, body, &mut extent),
            }
        }
        if let Some(why) = extent.refusal(limits) {
            return Err(ReadError::TooLarge(format!("sheet {}: {why}", sheet + 1)));
        }
    }
    Ok(())
}

/// The BIFF records of a stream from `start`: (type, body), CONTINUE
/// records left out (calamine appends them to the record before), ending
/// where the stream ends or is cut short.
fn biff_records(data: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    const CONTINUE: u16 = 0x003C;
    let mut at = start;
    std::iter::from_fn(move || {
        let head = data.get(at..at + 4)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let body = data.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, body))
    })
    .filter(|(kind, _)| *kind != CONTINUE)
}

/// BIFF8 sheets have at most 65,536 rows and 256 columns; calamine reserves
/// what DIMENSIONS declares.
fn check_dimensions(body: &[u8]) -> Result<(), ReadError> {
    if body.len() < 12 {
        return Ok(());
    }
    let u32_at = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (first_row, last_row) = (u32_at(0), u32_at(4));
    let (first_col, last_col) = (u16_at(8), u16_at(10));
    if last_row > 65_536 || last_col > 256 || first_row > last_row || first_col > last_col {
        return Err(ReadError::Corrupt(format!(
            "a sheet declares rows {first_row}–{last_row} and columns {first_col}–{last_col}, \
             beyond what .xls allows (65,536 rows × 256 columns): the file is damaged"
        )));
    }
    Ok(())
}

/// The cells a BIFF cell record puts on the sheet, as calamine reads them.
fn add_cells(kind: u16, body: &[u8], extent: &mut Extent) {
    const FORMULA: u16 = 0x0006;
    const RSTRING: u16 = 0x00D6;
    const LABELSST: u16 = 0x00FD;
    const NUMBER: u16 = 0x0203;
    const LABEL: u16 = 0x0204;
    const BOOLERR: u16 = 0x0205;
    const RK: u16 = 0x027E;
    const MULRK: u16 = 0x00BD;
    if body.len() < 6 {
        return;
    }
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let (row, col) = (u16_at(0), u16_at(2));
    match kind {
        FORMULA | RSTRING | LABELSST | NUMBER | LABEL | BOOLERR | RK => extent.add(row, col),
        MULRK => {
            let last = u16_at(body.len() - 2);
            if last >= col {
                extent.add(row, col);
            }
            if last > col {
                extent.add(row, last);
                extent.values += (last - col - 1) as usize;
            }
        }
        _ => {}
    }
}
