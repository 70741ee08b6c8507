//! The configurator's words and formats in the shopper's language.
//!
//! A handful of phrases, prices and dates: small enough to carry in the widget's wasm
//! instead of pulling a localisation framework into a bundle with a size budget. The
//! engine's sentences (why a value is frozen, what the date waits for) come from the
//! server and stay in its language.

use chrono::{Datelike, NaiveDate};

use crate::model::{DeliveryView, EstimateView, FirstBatchView};

/// A language the configurator speaks; any other tag falls back to English.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
}

/// Estimates up to this many days are shown in days, longer ones as dates.
const DAYS_LIMIT: u32 = 21;

impl Locale {
    /// The locale of a BCP 47 tag (`de`, `de-AT`, `en-GB`); English for anything else.
    pub fn from_tag(tag: &str) -> Locale {
        let language = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match language.to_ascii_lowercase().as_str() {
            "de" => Locale::De,
            "fr" => Locale::Fr,
            _ => Locale::En,
        }
    }

    /// The language tag, for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Fr => "fr",
        }
    }

    /// Minor units as a price: `EUR 129.50` / `+EUR 15.00`; `129,50 €` / `+15,00 €`;
    /// in French `1 234,50 €` (a narrow no-break space between thousands and a
    /// no-break space before the symbol, as the browsers' `Intl` writes it).
    pub fn price(self, minor: i64, currency: &str, signed: bool) -> String {
        let sign = match (signed, minor < 0) {
            (_, true) => "-",
            (true, false) => "+",
            (false, false) => "",
        };
        let abs = minor.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        let symbol = match currency {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => other,
        };
        match self {
            Locale::En => format!("{sign}{currency} {}.{cents:02}", group_thousands(units, ',')),
            Locale::De => format!("{sign}{},{cents:02} {symbol}", group_thousands(units, '.')),
            Locale::Fr => format!(
                "{sign}{},{cents:02}\u{a0}{symbol}",
                group_thousands(units, '\u{202f}')
            ),
        }
    }

    /// A day: `3 Dec`, `3. Dez.`, `3 déc.`.
    pub fn date(self, day: NaiveDate) -> String {
        match self {
            Locale::En | Locale::Fr => format!("{} {}", day.day(), self.month(day)),
            Locale::De => format!("{}. {}", day.day(), self.month(day)),
        }
    }

    /// A colon after a heading: French sets a no-break space before it.
    pub fn colon(self) -> &'static str {
        match self {
            Locale::Fr => "\u{a0}: ",
            _ => ": ",
        }
    }

    /// Two days as a range, the month once when they share it: `3–5 Dec`, `28 Jan – 4 Feb`.
    pub fn date_range(self, from: NaiveDate, to: NaiveDate) -> String {
        if from == to {
            return self.date(from);
        }
        let same_month = (from.year(), from.month()) == (to.year(), to.month());
        match (self, same_month) {
            (Locale::En | Locale::Fr, true) => format!("{}–{}", from.day(), self.date(to)),
            (Locale::De, true) => format!("{}.–{}", from.day(), self.date(to)),
            (_, false) => format!("{} – {}", self.date(from), self.date(to)),
        }
    }

    /// An estimate in words: `5–7 days` up to three weeks, beyond that its dates.
    pub fn estimate(self, estimate: &EstimateView) -> String {
        self.estimate_label(
            estimate.p50,
            estimate.p90,
            estimate.lead_days_p50,
            estimate.lead_days_p90,
        )
    }

    /// [`Locale::estimate`] from its parts (the server labels its answers with it).
    pub fn estimate_label(self, p50_date: NaiveDate, p90_date: NaiveDate, p50: u32, p90: u32) -> String {
        if p90 > DAYS_LIMIT {
            return self.date_range(p50_date, p90_date);
        }
        let count = if p50 == p90 {
            p50.to_string()
        } else {
            format!("{p50}–{p90}")
        };
        let unit = match (self, p90 == 1) {
            (Locale::En, true) => "day",
            (Locale::En, false) => "days",
            (Locale::De, true) => "Tag",
            (Locale::De, false) => "Tage",
            (Locale::Fr, true) => "jour",
            (Locale::Fr, false) => "jours",
        };
        format!("{count} {unit}")
    }

    /// The promise for the whole selection: `Delivery: 5–7 days (3–5 Dec)`, or for long
    /// ones just the dates.
    pub fn promise(self, estimate: &EstimateView) -> String {
        let words = self.estimate(estimate);
        let head = self.text(Text::Delivery);
        let colon = self.colon();
        if estimate.lead_days_p90 > DAYS_LIMIT {
            format!("{head}{colon}{words}")
        } else {
            format!(
                "{head}{colon}{words} ({})",
                self.date_range(estimate.p50, estimate.p90)
            )
        }
    }

    /// What is left of a presale product's first batch: `12 left in the first batch
    /// (made by 20 Dec)`, or that it is sold out.
    pub fn first_batch(self, batch: &FirstBatchView) -> String {
        let until = self.date(batch.until);
        match (self, batch.left) {
            (Locale::En, 0) => format!("The first batch (made by {until}) is sold out"),
            (Locale::De, 0) => format!("Die erste Serie (gefertigt bis {until}) ist ausverkauft"),
            (Locale::En, left) => format!("{left} left in the first batch (made by {until})"),
            (Locale::De, left) => format!("Noch {left} in der ersten Serie (gefertigt bis {until})"),
            (Locale::Fr, 0) => format!("La première série (fabriquée d’ici le {until}) est épuisée"),
            (Locale::Fr, left) => {
                format!("Plus que {left} dans la première série (fabriquée d’ici le {until})")
            }
        }
    }

    /// A split delivery: `Or sooner in two deliveries: 3 by 4 Dec, 7 by 19 Dec`.
    pub fn split(self, deliveries: &[DeliveryView]) -> String {
        let parts: Vec<String> = deliveries
            .iter()
            .map(|d| {
                let by = self.date(d.estimate.p90);
                match self {
                    Locale::En => format!("{} by {by}", d.quantity),
                    Locale::De => format!("{} bis {by}", d.quantity),
                    Locale::Fr => format!("{} d’ici le {by}", d.quantity),
                }
            })
            .collect();
        let head = match self {
            Locale::En => "Or sooner in two deliveries",
            Locale::De => "Oder früher in zwei Lieferungen",
            Locale::Fr => "Ou plus tôt en deux livraisons",
        };
        format!("{head}{}{}", self.colon(), parts.join(", "))
    }

    fn month(self, day: NaiveDate) -> &'static str {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const DE: [&str; 12] = [
            "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
        ];
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
        ];
        let i = day.month0() as usize;
        match self {
            Locale::En => EN[i],
            Locale::De => DE[i],
            Locale::Fr => FR[i],
        }
    }

    /// A fixed phrase.
    pub fn text(self, text: Text) -> &'static str {
        use Text::*;
        match (self, text) {
            (Locale::En, Total) => "Total",
            (Locale::De, Total) => "Gesamt",
            (Locale::En, Delivery) => "Delivery",
            (Locale::De, Delivery) => "Lieferung",
            (Locale::En, Optional) => "optional",
            (Locale::De, Optional) => "optional",
            (Locale::En, Fastest) => "Fastest",
            (Locale::De, Fastest) => "Am schnellsten",
            (Locale::En, AddToCart) => "Add to cart",
            (Locale::De, AddToCart) => "In den Warenkorb",
            (Locale::En, Preorder) => "Preorder",
            (Locale::De, Preorder) => "Vorbestellen",
            (Locale::En, Save) => "Save for later",
            (Locale::De, Save) => "Merken",
            (Locale::En, Saved) => "Saved",
            (Locale::De, Saved) => "Gemerkt",
            (Locale::En, Updating) => "Updating delivery estimates…",
            (Locale::De, Updating) => "Lieferzeiten werden aktualisiert…",
            (Locale::En, Offline) => "You are offline: these estimates may be out of date.",
            (Locale::De, Offline) => "Sie sind offline: diese Lieferzeiten sind vielleicht nicht aktuell.",
            (Locale::En, Failed) => "The delivery estimates could not be updated",
            (Locale::De, Failed) => "Die Lieferzeiten konnten nicht aktualisiert werden",
            (Locale::En, Retry) => "Try again",
            (Locale::De, Retry) => "Erneut versuchen",
            (Locale::En, Unavailable) => "This configuration cannot be made",
            (Locale::De, Unavailable) => "Diese Konfiguration kann nicht gefertigt werden",
            (Locale::En, Instead) => "Choose",
            (Locale::De, Instead) => "Stattdessen",
            (Locale::Fr, Total) => "Total",
            (Locale::Fr, Delivery) => "Livraison",
            (Locale::Fr, Optional) => "facultatif",
            (Locale::Fr, Fastest) => "Le plus rapide",
            (Locale::Fr, AddToCart) => "Ajouter au panier",
            (Locale::Fr, Preorder) => "Précommander",
            (Locale::Fr, Save) => "Mettre de côté",
            (Locale::Fr, Saved) => "Mis de côté",
            (Locale::Fr, Updating) => "Mise à jour des délais de livraison…",
            (Locale::Fr, Offline) => "Vous êtes hors ligne : ces délais ne sont peut-être plus à jour.",
            (Locale::Fr, Failed) => "Les délais de livraison n’ont pas pu être mis à jour",
            (Locale::Fr, Retry) => "Réessayer",
            (Locale::Fr, Unavailable) => "Cette configuration ne peut pas être fabriquée",
            (Locale::Fr, Instead) => "Choisir",
        }
    }
}

/// The configurator's fixed phrases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Before the total price.
    Total,
    /// Before the promised range.
    Delivery,
    /// After an optional group's name.
    Optional,
    /// The mark of a group's fastest value.
    Fastest,
    /// The order button of a product in stock or made to order.
    AddToCart,
    /// The order button of a presale product.
    Preorder,
    /// The favourite button.
    Save,
    /// The favourite button once pressed.
    Saved,
    /// While a new quote is on its way.
    Updating,
    /// When the browser has no network.
    Offline,
    /// When the server refused or failed.
    Failed,
    /// The button that asks again.
    Retry,
    /// When the selection cannot be promised and the server gave no reason.
    Unavailable,
    /// Before the alternative of a frozen value.
    Instead,
}

fn group_thousands(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap()
    }

    fn estimate(p50: NaiveDate, p90: NaiveDate, l50: u32, l90: u32) -> EstimateView {
        EstimateView {
            p50,
            p90,
            promised: p90,
            lead_days_p50: l50,
            lead_days_p90: l90,
            label: String::new(),
        }
    }

    #[test]
    fn tags_pick_the_language_and_fall_back_to_english() {
        assert_eq!(Locale::from_tag("de-AT"), Locale::De);
        assert_eq!(Locale::from_tag("DE"), Locale::De);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
        assert_eq!(Locale::from_tag("fr-CA"), Locale::Fr);
        assert_eq!(Locale::from_tag("tlh"), Locale::En);
        assert_eq!(Locale::from_tag(""), Locale::En);
    }

    #[test]
    fn prices_follow_the_locale() {
        assert_eq!(Locale::En.price(12_950, "EUR", false), "EUR 129.50");
        assert_eq!(Locale::En.price(123_456_700, "USD", true), "+USD 1,234,567.00");
        assert_eq!(Locale::De.price(12_950, "EUR", false), "129,50 €");
        assert_eq!(Locale::De.price(-250, "GBP", true), "-2,50 £");
        assert_eq!(Locale::De.price(100_000, "SEK", false), "1.000,00 SEK");
        assert_eq!(Locale::Fr.price(123_450, "EUR", false), "1\u{202f}234,50\u{a0}€");
        assert_eq!(Locale::Fr.price(1_500, "CHF", true), "+15,00\u{a0}CHF");
    }

    #[test]
    fn estimates_are_days_then_dates() {
        let short = estimate(d(1, 5), d(1, 7), 5, 7);
        assert_eq!(Locale::En.estimate(&short), "5–7 days");
        assert_eq!(Locale::De.estimate(&short), "5–7 Tage");
        assert_eq!(Locale::En.promise(&short), "Delivery: 5–7 days (5–7 Jan)");
        assert_eq!(Locale::De.promise(&short), "Lieferung: 5–7 Tage (5.–7. Jan.)");
        assert_eq!(Locale::En.estimate(&estimate(d(1, 1), d(1, 1), 1, 1)), "1 day");
        let long = estimate(d(1, 28), d(2, 4), 30, 37);
        assert_eq!(Locale::En.estimate(&long), "28 Jan – 4 Feb");
        assert_eq!(Locale::De.estimate(&long), "28. Jan. – 4. Feb.");
        assert_eq!(Locale::En.promise(&long), "Delivery: 28 Jan – 4 Feb");
        assert_eq!(Locale::De.date(d(3, 9)), "9. März");
        assert_eq!(Locale::Fr.estimate(&short), "5–7 jours");
        assert_eq!(
            Locale::Fr.promise(&short),
            "Livraison\u{a0}: 5–7 jours (5–7 janv.)"
        );
        assert_eq!(Locale::Fr.estimate(&long), "28 janv. – 4 févr.");
        assert_eq!(Locale::Fr.date(d(8, 15)), "15 août");
    }

    #[test]
    fn a_first_batch_says_how_many_are_left_or_that_it_is_sold_out() {
        let batch = |left| FirstBatchView {
            left,
            until: d(12, 20),
        };
        assert_eq!(
            Locale::En.first_batch(&batch(12)),
            "12 left in the first batch (made by 20 Dec)"
        );
        assert_eq!(
            Locale::De.first_batch(&batch(12)),
            "Noch 12 in der ersten Serie (gefertigt bis 20. Dez.)"
        );
        assert_eq!(
            Locale::En.first_batch(&batch(0)),
            "The first batch (made by 20 Dec) is sold out"
        );
        assert_eq!(
            Locale::Fr.first_batch(&batch(12)),
            "Plus que 12 dans la première série (fabriquée d’ici le 20 déc.)"
        );
    }

    #[test]
    fn a_split_names_each_delivery_by_its_promised_day() {
        let parts = [
            DeliveryView {
                quantity: 3,
                estimate: estimate(d(12, 3), d(12, 4), 3, 4),
            },
            DeliveryView {
                quantity: 7,
                estimate: estimate(d(12, 17), d(12, 19), 17, 19),
            },
        ];
        assert_eq!(
            Locale::En.split(&parts),
            "Or sooner in two deliveries: 3 by 4 Dec, 7 by 19 Dec"
        );
        assert_eq!(
            Locale::De.split(&parts),
            "Oder früher in zwei Lieferungen: 3 bis 4. Dez., 7 bis 19. Dez."
        );
        assert_eq!(
            Locale::Fr.split(&parts),
            "Ou plus tôt en deux livraisons\u{a0}: 3 d’ici le 4 déc., 7 d’ici le 19 déc."
        );
    }
}
