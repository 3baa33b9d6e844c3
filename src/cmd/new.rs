//! `paperhub new`.

use crate::cli::NewArgs;
use crate::error::Result;

pub fn run(args: NewArgs) -> Result<()> {
    let path = crate::scaffold::new_record(&args.root, &args.id, &args.title)?;
    println!("{}", path.display());
    Ok(())
}
