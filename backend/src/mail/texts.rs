//! The mails' words, in the six languages the portal speaks. A mail is written in the language
//! its recipient last used the portal in.

use super::News;
use api_types::RejectReason;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    En,
    De,
    Fr,
    Es,
    It,
    Pl,
}

impl Language {
    pub const ALL: [Language; 6] = [Self::En, Self::De, Self::Fr, Self::Es, Self::It, Self::Pl];

    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::It => "it",
            Self::Pl => "pl",
        }
    }

    /// The language of a BCP 47 tag (`de-AT` is German); English for any other.
    pub fn from_tag(tag: &str) -> Self {
        Self::parse(tag).unwrap_or(Self::En)
    }

    /// The language of a tag, if the portal speaks it.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }
}

/// What a mail fills in.
pub struct Facts<'a> {
    pub name: &'a str,
    pub number: &'a str,
    pub serial: &'a str,
    pub link: &'a str,
    /// When the answer expires, e.g. `2026-12-03 17:00:00 UTC`.
    pub expires: &'a str,
}

/// One language's words. `{number}`, `{serial}`, `{expires}` and `{reason}` are filled in.
struct Words {
    hello: &'static str,
    info_subject: &'static str,
    info_body: &'static str,
    answered_subject: &'static str,
    answered_body: &'static str,
    rejected_subject: &'static str,
    rejected_body: &'static str,
    expires_subject: &'static str,
    expires_body: &'static str,
    open_case: &'static str,
    why_you_get_this: &'static str,
    reasons: [&'static str; 6],
}

fn reason_index(reason: RejectReason) -> usize {
    match reason {
        RejectReason::UnreadableEvidence => 0,
        RejectReason::SerialMismatch => 1,
        RejectReason::OwnershipNotProven => 2,
        RejectReason::UnsupportedDevice => 3,
        RejectReason::Duplicate => 4,
        RejectReason::Other => 5,
    }
}

/// The mail's subject and plain-text body.
pub fn compose(language: Language, news: News, facts: &Facts) -> (String, String) {
    let w = words(language);
    let (subject, text, reason) = match news {
        News::InfoRequested => (w.info_subject, w.info_body, ""),
        News::Answered => (w.answered_subject, w.answered_body, ""),
        News::Rejected(reason) => (
            w.rejected_subject,
            w.rejected_body,
            w.reasons[reason_index(reason)],
        ),
        News::ExpiresSoon => (w.expires_subject, w.expires_body, ""),
    };
    let fill = |template: &str| {
        template
            .replace("{number}", facts.number)
            .replace("{serial}", facts.serial)
            .replace("{expires}", facts.expires)
            .replace("{reason}", reason)
    };
    let body = format!(
        "{} {},\n\n{}\n\n{}\n{}\n\n-- \n{}\n",
        w.hello,
        facts.name,
        fill(text),
        w.open_case,
        facts.link,
        w.why_you_get_this
    );
    (fill(subject), body)
}

fn words(language: Language) -> &'static Words {
    match language {
        Language::En => &EN,
        Language::De => &DE,
        Language::Fr => &FR,
        Language::Es => &ES,
        Language::It => &IT,
        Language::Pl => &PL,
    }
}

static EN: Words = Words {
    hello: "Hello",
    info_subject: "{number}: support needs more information",
    info_body: "Hikvision support asked a question about your case {number} (device {serial}). Your case waits for your reply.",
    answered_subject: "{number}: your answer is ready",
    answered_body: "Hikvision support answered your case {number} (device {serial}). Sign in to see the answer. A reset key or file is valid until {expires}.",
    rejected_subject: "{number}: your case was declined",
    rejected_body: "Hikvision support declined your case {number} (device {serial}). Reason: {reason}. Sign in to read support's message.",
    expires_subject: "{number}: your answer expires soon",
    expires_body: "The answer to your case {number} (device {serial}) is valid until {expires} and has not been fetched yet. After that you have to file a new case.",
    open_case: "Open the case:",
    why_you_get_this: "You receive this because email notifications are on for your Hik-Partner Pro account. You can turn them off in the account menu.",
    reasons: [
        "the evidence cannot be read",
        "the serial numbers do not match",
        "ownership of the device is not proven",
        "the device is not supported",
        "a case for this device already exists",
        "see support's message",
    ],
};

static DE: Words = Words {
    hello: "Hallo",
    info_subject: "{number}: Der Support benötigt weitere Informationen",
    info_body: "Der Hikvision-Support hat eine Frage zu Ihrem Fall {number} (Gerät {serial}). Ihr Fall wartet auf Ihre Antwort.",
    answered_subject: "{number}: Ihre Antwort liegt bereit",
    answered_body: "Der Hikvision-Support hat Ihren Fall {number} (Gerät {serial}) beantwortet. Melden Sie sich an, um die Antwort zu sehen. Ein Rücksetzschlüssel oder eine Datei gilt bis {expires}.",
    rejected_subject: "{number}: Ihr Fall wurde abgelehnt",
    rejected_body: "Der Hikvision-Support hat Ihren Fall {number} (Gerät {serial}) abgelehnt. Grund: {reason}. Melden Sie sich an, um die Nachricht des Supports zu lesen.",
    expires_subject: "{number}: Ihre Antwort läuft bald ab",
    expires_body: "Die Antwort zu Ihrem Fall {number} (Gerät {serial}) gilt bis {expires} und wurde noch nicht abgerufen. Danach müssen Sie einen neuen Fall anlegen.",
    open_case: "Fall öffnen:",
    why_you_get_this: "Sie erhalten diese E-Mail, weil E-Mail-Benachrichtigungen für Ihr Hik-Partner-Pro-Konto aktiviert sind. Sie können sie im Kontomenü ausschalten.",
    reasons: [
        "die Nachweise sind nicht lesbar",
        "die Seriennummern stimmen nicht überein",
        "der Besitz des Geräts ist nicht nachgewiesen",
        "das Gerät wird nicht unterstützt",
        "für dieses Gerät gibt es bereits einen Fall",
        "siehe Nachricht des Supports",
    ],
};

static FR: Words = Words {
    hello: "Bonjour",
    info_subject: "{number} : le support a besoin d'informations",
    info_body: "Le support Hikvision a posé une question sur votre demande {number} (appareil {serial}). Votre demande attend votre réponse.",
    answered_subject: "{number} : votre réponse est prête",
    answered_body: "Le support Hikvision a répondu à votre demande {number} (appareil {serial}). Connectez-vous pour voir la réponse. Une clé ou un fichier de réinitialisation est valable jusqu'au {expires}.",
    rejected_subject: "{number} : votre demande a été refusée",
    rejected_body: "Le support Hikvision a refusé votre demande {number} (appareil {serial}). Motif : {reason}. Connectez-vous pour lire le message du support.",
    expires_subject: "{number} : votre réponse expire bientôt",
    expires_body: "La réponse à votre demande {number} (appareil {serial}) est valable jusqu'au {expires} et n'a pas encore été récupérée. Ensuite, vous devrez créer une nouvelle demande.",
    open_case: "Ouvrir la demande :",
    why_you_get_this: "Vous recevez ce message car les notifications par e-mail sont activées pour votre compte Hik-Partner Pro. Vous pouvez les désactiver dans le menu du compte.",
    reasons: [
        "les justificatifs sont illisibles",
        "les numéros de série ne correspondent pas",
        "la propriété de l'appareil n'est pas prouvée",
        "l'appareil n'est pas pris en charge",
        "une demande existe déjà pour cet appareil",
        "voir le message du support",
    ],
};

static ES: Words = Words {
    hello: "Hola",
    info_subject: "{number}: el soporte necesita más información",
    info_body: "El soporte de Hikvision ha hecho una pregunta sobre su caso {number} (dispositivo {serial}). Su caso espera su respuesta.",
    answered_subject: "{number}: su respuesta está lista",
    answered_body: "El soporte de Hikvision ha respondido a su caso {number} (dispositivo {serial}). Inicie sesión para ver la respuesta. Una clave o un archivo de restablecimiento es válido hasta el {expires}.",
    rejected_subject: "{number}: su caso ha sido rechazado",
    rejected_body: "El soporte de Hikvision ha rechazado su caso {number} (dispositivo {serial}). Motivo: {reason}. Inicie sesión para leer el mensaje del soporte.",
    expires_subject: "{number}: su respuesta caduca pronto",
    expires_body: "La respuesta a su caso {number} (dispositivo {serial}) es válida hasta el {expires} y aún no se ha obtenido. Después tendrá que abrir un caso nuevo.",
    open_case: "Abrir el caso:",
    why_you_get_this: "Recibe este mensaje porque las notificaciones por correo están activadas en su cuenta de Hik-Partner Pro. Puede desactivarlas en el menú de la cuenta.",
    reasons: [
        "las pruebas no se pueden leer",
        "los números de serie no coinciden",
        "no se ha demostrado la propiedad del dispositivo",
        "el dispositivo no es compatible",
        "ya existe un caso para este dispositivo",
        "vea el mensaje del soporte",
    ],
};

static IT: Words = Words {
    hello: "Buongiorno",
    info_subject: "{number}: l'assistenza ha bisogno di altre informazioni",
    info_body: "L'assistenza Hikvision ha fatto una domanda sulla sua richiesta {number} (dispositivo {serial}). La richiesta attende la sua risposta.",
    answered_subject: "{number}: la sua risposta è pronta",
    answered_body: "L'assistenza Hikvision ha risposto alla sua richiesta {number} (dispositivo {serial}). Acceda per vedere la risposta. Una chiave o un file di ripristino è valido fino al {expires}.",
    rejected_subject: "{number}: la sua richiesta è stata respinta",
    rejected_body: "L'assistenza Hikvision ha respinto la sua richiesta {number} (dispositivo {serial}). Motivo: {reason}. Acceda per leggere il messaggio dell'assistenza.",
    expires_subject: "{number}: la sua risposta scade presto",
    expires_body: "La risposta alla sua richiesta {number} (dispositivo {serial}) è valida fino al {expires} e non è ancora stata scaricata. Dopo dovrà aprire una nuova richiesta.",
    open_case: "Apri la richiesta:",
    why_you_get_this: "Riceve questo messaggio perché le notifiche via e-mail sono attive per il suo account Hik-Partner Pro. Può disattivarle dal menu dell'account.",
    reasons: [
        "le prove non sono leggibili",
        "i numeri di serie non corrispondono",
        "la proprietà del dispositivo non è dimostrata",
        "il dispositivo non è supportato",
        "esiste già una richiesta per questo dispositivo",
        "veda il messaggio dell'assistenza",
    ],
};

static PL: Words = Words {
    hello: "Dzień dobry",
    info_subject: "{number}: wsparcie potrzebuje więcej informacji",
    info_body: "Wsparcie Hikvision zadało pytanie dotyczące zgłoszenia {number} (urządzenie {serial}). Zgłoszenie czeka na Twoją odpowiedź.",
    answered_subject: "{number}: odpowiedź jest gotowa",
    answered_body: "Wsparcie Hikvision odpowiedziało na zgłoszenie {number} (urządzenie {serial}). Zaloguj się, aby zobaczyć odpowiedź. Klucz lub plik resetu jest ważny do {expires}.",
    rejected_subject: "{number}: zgłoszenie zostało odrzucone",
    rejected_body: "Wsparcie Hikvision odrzuciło zgłoszenie {number} (urządzenie {serial}). Powód: {reason}. Zaloguj się, aby przeczytać wiadomość wsparcia.",
    expires_subject: "{number}: odpowiedź wkrótce wygaśnie",
    expires_body: "Odpowiedź na zgłoszenie {number} (urządzenie {serial}) jest ważna do {expires} i nie została jeszcze pobrana. Potem trzeba będzie złożyć nowe zgłoszenie.",
    open_case: "Otwórz zgłoszenie:",
    why_you_get_this: "Otrzymujesz tę wiadomość, ponieważ powiadomienia e-mail są włączone dla Twojego konta Hik-Partner Pro. Możesz je wyłączyć w menu konta.",
    reasons: [
        "dowodów nie da się odczytać",
        "numery seryjne się nie zgadzają",
        "nie wykazano własności urządzenia",
        "urządzenie nie jest obsługiwane",
        "dla tego urządzenia istnieje już zgłoszenie",
        "zobacz wiadomość wsparcia",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_placeholder_and_never_names_a_key() {
        let facts = Facts {
            name: "Jana Nováková",
            number: "HPP-000042",
            serial: "E61958062",
            link: "http://127.0.0.1:8080/support/cases/42",
            expires: "2026-12-03 17:00 UTC",
        };
        let all_news = [
            News::InfoRequested,
            News::Answered,
            News::Rejected(RejectReason::SerialMismatch),
            News::ExpiresSoon,
        ];
        for language in Language::ALL {
            for news in all_news {
                let (subject, body) = compose(language, news, &facts);
                assert!(subject.contains("HPP-000042"), "{language:?} {news:?}");
                assert!(body.contains(facts.link) && body.contains("E61958062"));
                assert!(!subject.contains('{') && !body.contains('{'), "{body}");
            }
        }
        assert_eq!(Language::from_tag("de-AT"), Language::De);
        assert_eq!(Language::from_tag("xx"), Language::En);
    }
}
