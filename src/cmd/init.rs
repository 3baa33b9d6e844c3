//! `paperhub init`.

use crate::cli::InitArgs;
use crate::error::Result;

pub fn run(args: InitArgs) -> Result<()> {
    let files = crate::scaffold::init(&args.dir, args.theme)?;
    for f in files {
        eprintln!("created {}", f.display());
    }
    eprintln!(
        "New site in {}. Next: `paperhub build --root {}`",
        args.dir.display(),
        args.dir.display()
    );
    Ok(())
}
