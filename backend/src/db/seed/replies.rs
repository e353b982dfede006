//! The canned replies a fresh desk starts with: three questions support asks most, in the six
//! languages partners use the portal in. Support edits them in the desk; this runs once, as a
//! migration.

use crate::db::sql::Conn;
use crate::db::DbResult;
use crate::params;

/// `(topic, language, title, body)`.
const REPLIES: &[(&str, &str, &str, &str)] = &[
    ("label_photo", "en", "Clearer label photo",
     "The photo of the device label cannot be read. Please send a sharp photo of the whole label, taken straight on, with the serial number readable."),
    ("label_photo", "de", "Deutlicheres Typenschild-Foto",
     "Das Foto des Typenschilds ist nicht lesbar. Bitte senden Sie ein scharfes Foto des ganzen Schilds, gerade aufgenommen, mit lesbarer Seriennummer."),
    ("label_photo", "fr", "Photo d'étiquette plus nette",
     "La photo de l'étiquette de l'appareil est illisible. Envoyez une photo nette de toute l'étiquette, prise de face, avec le numéro de série lisible."),
    ("label_photo", "es", "Foto de etiqueta más nítida",
     "La foto de la etiqueta del dispositivo no se puede leer. Envíe una foto nítida de toda la etiqueta, tomada de frente, con el número de serie legible."),
    ("label_photo", "it", "Foto dell'etichetta più nitida",
     "La foto dell'etichetta del dispositivo non è leggibile. Invii una foto nitida dell'intera etichetta, scattata frontalmente, con il numero di serie leggibile."),
    ("label_photo", "pl", "Wyraźniejsze zdjęcie etykiety",
     "Zdjęcie etykiety urządzenia jest nieczytelne. Prosimy o ostre zdjęcie całej etykiety, zrobione na wprost, z czytelnym numerem seryjnym."),
    ("new_export", "en", "Fresh SADP export",
     "The SADP file is older than its validity. Please export the device file again in SADP (Forgot Password → Export) and send it within the hour."),
    ("new_export", "de", "Neuer SADP-Export",
     "Die SADP-Datei ist nicht mehr gültig. Bitte exportieren Sie die Gerätedatei in SADP erneut (Passwort vergessen → Exportieren) und senden Sie sie innerhalb einer Stunde."),
    ("new_export", "fr", "Nouvel export SADP",
     "Le fichier SADP n'est plus valable. Exportez de nouveau le fichier de l'appareil dans SADP (Mot de passe oublié → Exporter) et envoyez-le dans l'heure."),
    ("new_export", "es", "Nueva exportación de SADP",
     "El archivo de SADP ya no es válido. Exporte de nuevo el archivo del dispositivo en SADP (Olvidé la contraseña → Exportar) y envíelo antes de una hora."),
    ("new_export", "it", "Nuova esportazione SADP",
     "Il file SADP non è più valido. Esporti di nuovo il file del dispositivo in SADP (Password dimenticata → Esporta) e lo invii entro un'ora."),
    ("new_export", "pl", "Nowy eksport z SADP",
     "Plik z SADP nie jest już ważny. Prosimy ponownie wyeksportować plik urządzenia w SADP (Nie pamiętam hasła → Eksportuj) i przesłać go w ciągu godziny."),
    ("proof_of_purchase", "en", "Proof of purchase",
     "The device is bound to an account that is not yours. Please send a proof of purchase (invoice) naming the device's serial number."),
    ("proof_of_purchase", "de", "Kaufnachweis",
     "Das Gerät ist an ein fremdes Konto gebunden. Bitte senden Sie einen Kaufnachweis (Rechnung), der die Seriennummer des Geräts nennt."),
    ("proof_of_purchase", "fr", "Preuve d'achat",
     "L'appareil est lié à un compte qui n'est pas le vôtre. Envoyez une preuve d'achat (facture) indiquant le numéro de série de l'appareil."),
    ("proof_of_purchase", "es", "Prueba de compra",
     "El dispositivo está vinculado a una cuenta que no es la suya. Envíe una prueba de compra (factura) con el número de serie del dispositivo."),
    ("proof_of_purchase", "it", "Prova d'acquisto",
     "Il dispositivo è associato a un account che non è il suo. Invii una prova d'acquisto (fattura) con il numero di serie del dispositivo."),
    ("proof_of_purchase", "pl", "Dowód zakupu",
     "Urządzenie jest powiązane z kontem, które nie należy do Ciebie. Prosimy o dowód zakupu (fakturę) z numerem seryjnym urządzenia."),
];

pub fn default_canned_replies(conn: &Conn) -> DbResult<()> {
    let now = crate::db::now_ms();
    for (topic, language, title, body) in REPLIES {
        conn.execute(
            "INSERT INTO canned_replies (topic, language, title, body, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (topic, language) DO NOTHING",
            params![topic, language, title, body, now],
        )?;
    }
    Ok(())
}
