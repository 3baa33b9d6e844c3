//! `paperhub serve`.

use std::net::SocketAddr;

use crate::cli::ServeArgs;
use crate::error::Result;
use crate::serve::{serve, ServeOptions, Served};
use crate::watch::Event;

pub fn run(args: ServeArgs) -> Result<()> {
    let opts = ServeOptions {
        build: args.site.options(None),
        addr: SocketAddr::new(args.bind, args.port),
        open: args.open,
    };
    let json = args.json;
    serve(opts, move |served| {
        if json {
            let event = match &served {
                Served::Listening(url) => serde_json::json!({"event": "listening", "url": url}),
                Served::Event(e) => super::watch::json(e),
            };
            println!("{event}");
        }
        match served {
            Served::Listening(url) => eprintln!("Serving the site at {url} (Ctrl-C to stop)."),
            Served::Event(Event::Rebuilt(r)) => eprintln!("{}", super::watch::describe(r)),
            Served::Event(Event::Failed(e)) => {
                eprintln!(
                    "{e}\nThe last good site is still served; fix the problem and save again."
                )
            }
            Served::Event(Event::Saved(saved)) => super::watch::timings(saved),
        }
    })
}
