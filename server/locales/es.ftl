# Español. Traducción pendiente de revisión por una persona hablante nativa.
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = Español
languages-label = Idioma

## Around every page

skip-link = Saltar al contenido principal
leave-quickly = Salir rápido de este sitio
privacy-link = Privacidad: quién puede leer sus respuestas
shared-device-note = En un teléfono o una computadora compartidos, abra esta página en una ventana privada (también llamada «de incógnito») para que no quede en el historial del navegador. Cierre la ventana cuando termine.

## The letter page

sign-heading = Firmar la carta
signatures = { $count ->
    [one] { $shown } persona u organización ha firmado.
   *[other] { $shown } personas y organizaciones han firmado.
}
privacy-notice = Sus respuestas se cifran en cuanto llegan: solo quienes organizan esta carta pueden leerlas, no la empresa que aloja este sitio. El sitio no guarda ningún registro de su dirección de internet, de su dispositivo ni de la hora en que envió el formulario. No usa cookies, ni scripts, ni rastreadores.
privacy-notice-link = Cómo se protegen sus respuestas
intent-label = ¿Qué le gustaría hacer?
intent-sign = Firmar la carta
intent-sign-and-share = Firmar la carta y contar lo que pasó
intent-share = Solo contar lo que pasó, sin firmar
intent-help = Si solo cuenta lo que pasó, no se le pide su nombre ni cómo contactarle, y su respuesta no cuenta como una firma.
part-signature = Su firma
part-signature-help = Para quienes firman. Si solo va a contar lo que pasó, sáltese esta parte: no se guarda nada de lo que escriba aquí.
part-testimony = Lo que pasó
part-testimony-help = Para quienes cuentan lo que pasó. No necesita dar su nombre ni el de ninguna otra persona.
optional-marker = (opcional)
campaign-closed-title = Esta carta está cerrada
campaign-closed-body = Ya no recibe firmas ni relatos de lo que pasó, y no se guardó nada. Gracias a todas las personas que firmaron y compartieron. Todavía puede leer la carta.
campaign-language-note = La carta y las preguntas se muestran tal como las escribieron quienes organizan la campaña, en su idioma ({ $language }); su traducción está pendiente. Todo lo demás en esta página está en español.
required-marker = (obligatorio)
required-if = (obligatorio si eligió «{ $option }»)
required-to-share = (obligatorio si cuenta lo que pasó)
submit = Enviar
honeypot-label = Deje este campo vacío
error-summary-heading = Por favor, revise sus respuestas
error-summary-item = { $question }: { $problem }
error-title = Por favor, revise sus respuestas: { $title }
page-title = { $heading } — { $campaign }
home-link = Ir a la carta

## Problems with one answer, shown next to it

required = Por favor, responda a esta pregunta.
choose-one = Por favor, elija una de las opciones.
choose-at-least-one = Por favor, marque al menos una de las opciones.
not-an-option = Por favor, elija entre las opciones que se muestran (el formulario envió una que no tiene).
control-character = Esta respuesta contiene un carácter de control invisible (a menudo de un texto copiado de otro sitio, o un salto de línea en una respuesta de una sola línea) que no se puede guardar. Por favor, borre y vuelva a escribir la parte que pegó; el resto de su texto se conserva abajo.
bad-email = Esto no parece una dirección de correo electrónico: necesita una sola @ con texto a cada lado, y sin espacios. También puede dejarlo vacío.
bad-postal-code = Un código postal solo tiene letras, números, espacios y guiones. También puede dejarlo vacío.
bad-checkbox = Esta casilla envió un valor inesperado. Por favor, márquela o desmárquela de nuevo.
must-tick = Por favor, marque esta casilla para continuar.
written-but-not-shared = Usted eligió solo firmar la carta, así que este texto no se enviaría. Para enviarlo, elija «{ intent-sign-and-share }» al principio del formulario; para solo firmar, borre el texto de este cuadro.
too-long = Esta respuesta tiene { $length } caracteres; el límite es { $limit }. Por favor, acórtela; su texto se conserva abajo.

## A form that could not be read (the 400 page)

damaged-form = Los datos del formulario se dañaron por el camino, así que no se guardó nada. Por favor, vuelva atrás y pulse Enviar de nuevo.
not-utf8 = No se pudo leer el texto del formulario (no se envió en UTF-8), así que no se guardó nada. Por favor, vuelva atrás y envíelo de nuevo, si puede desde un navegador actualizado.
nul-byte = El formulario contenía un carácter que no se puede guardar (un byte NUL), así que no se guardó nada. Por favor, vuelva atrás, quite los caracteres extraños que haya pegado y envíelo de nuevo.
duplicate-field = El formulario envió dos veces el campo «{ $name }», lo que ocurre cuando una extensión del navegador o una copia antigua de la página cambia el formulario. No se guardó nada. Por favor, vuelva atrás, recargue la página y rellénela de nuevo.
unknown-field-named = El formulario envió un campo llamado «{ $name }» que este formulario no tiene, lo que ocurre cuando una extensión del navegador o una copia antigua de la página cambia el formulario. No se guardó nada. Por favor, vuelva atrás, recargue la página y rellénela de nuevo.
unknown-field = El formulario envió un campo que este formulario no tiene, lo que ocurre cuando una extensión del navegador o una copia antigua de la página cambia el formulario. No se guardó nada. Por favor, vuelva atrás, recargue la página y rellénela de nuevo.

## Notices above a form that comes back

token-missing = El formulario llegó sin su código de seguridad, así que todavía no se guardó nada. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo.
token-invalid = Esta copia del formulario está desactualizada (puede que el sitio se haya reiniciado), así que todavía no se guardó nada. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo.
token-too-young = Por favor, espere un momento y pulse Enviar de nuevo; sus respuestas se conservan.
token-expired = Este formulario estuvo abierto mucho tiempo, así que hubo que renovarlo y todavía no se guardó nada. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo.
resent-other-answers = Este formulario ya se había enviado, y las respuestas de entonces se recibieron. Las respuestas cambiadas que ve abajo no se guardaron. Si quiere guardarlas también, pulse Enviar de nuevo: eso añade un segundo envío, separado del primero.
rate-limited-notice = Se enviaron muchos formularios desde su conexión en poco tiempo, así que el suyo todavía no se guardó. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo dentro de { $seconds ->
    [one] { $shown } segundo
   *[other] { $shown } segundos
}.
not-saved = Sus respuestas no se pudieron guardar en este momento por un problema en el servidor, así que no se guardó nada. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo dentro de un minuto.
short-of-space = Sus respuestas no se pudieron guardar en este momento: al servidor le falta espacio de almacenamiento. No se guardó nada. Sus respuestas se conservan abajo; por favor, pulse Enviar de nuevo más tarde (dentro de una hora, o mañana) y mantenga esta página abierta hasta entonces.

## Pages: a title, and what happened and what to do

thanks-title = Gracias
thanks-body = Sus respuestas llegaron y se cifraron enseguida, así que solo quienes organizan esta carta pueden leerlas. Ya puede cerrar esta página.
receipt-heading = Su comprobante
receipt-body = Con este comprobante puede retirar lo que envió, en la página «{ withdraw-title }». Guárdelo en un lugar seguro, o no lo guarde: cualquier persona que lo tenga puede retirar sus respuestas, y nada más en este sitio las relaciona con usted.
receipt-link = Retirar lo que envió
support-heading = Si necesita apoyo
support-languages = Idiomas: { $languages }
bad-request-title = No se pudo leer el formulario
bad-request-body = Lo que llegó no es un formulario que este sitio pueda leer, así que no se guardó nada. Por favor, vuelva atrás, recargue la página e inténtelo de nuevo.
not-found-title = Página no encontrada
not-found-body = No hay ninguna página en esta dirección. La carta y su formulario están en la página principal.
too-large-title = Sus respuestas son demasiado largas para enviarlas
too-large-body = No se guardó nada. Su texto sigue en el formulario: use el botón Atrás de su navegador, acorte la respuesta más larga y pulse Enviar de nuevo.
unsupported-media-type-title = No se pudo leer el formulario
unsupported-media-type-body = Lo que llegó no se envió como se envía un formulario web, así que no se guardó nada. Por favor, vuelva atrás y pulse Enviar de nuevo desde la página del formulario.
server-error-title = Algo falló por nuestra parte
server-error-body = Sus respuestas no se guardaron. Su texto sigue en el formulario: use el botón Atrás de su navegador y pulse Enviar de nuevo dentro de unos minutos.
method-not-allowed-title = Esta dirección no acepta esa solicitud
method-not-allowed-body = No se guardó nada. La carta y su formulario están en la página principal.
headers-too-large-title = Su navegador envió más de lo que este sitio lee
headers-too-large-body = No se guardó nada: la solicitud llevaba demasiada información adicional (cookies o cabeceras muy grandes, a menudo de una extensión del navegador). Su texto sigue en el formulario: vuelva atrás y envíelo de nuevo, o use una ventana privada.
timeout-title = Sus respuestas tardaron demasiado en llegar
timeout-body = No se guardó nada; la conexión era demasiado lenta. Su texto sigue en el formulario: use el botón Atrás de su navegador y pulse Enviar de nuevo.
unavailable-title = Sus respuestas no se pudieron guardar en este momento
unavailable-body = No se guardó nada: el servidor está muy ocupado o tiene un problema. Su texto sigue en el formulario: use el botón Atrás de su navegador y pulse Enviar de nuevo dentro de un minuto.
rate-limited-title = Por favor, espere un poco
rate-limited = Se enviaron muchos formularios desde su conexión en poco tiempo, así que este todavía no se guardó. Su texto sigue en el formulario: vuelva atrás con el botón Atrás de su navegador y envíelo de nuevo dentro de { $seconds ->
    [one] { $shown } segundo
   *[other] { $shown } segundos
}.

## The privacy page

privacy-title = Cómo se protegen sus respuestas
privacy-organizers-heading = Quién organiza esta carta
privacy-organizers = Esta carta la organizan:
privacy-organizers-unnamed = Esta carta la organizan personas que no han dado su nombre en este sitio.
privacy-readers-heading = Quién puede leer sus respuestas
privacy-readers-body = En cuanto llegan, antes de guardar nada, sus respuestas se cierran con llave (se cifran) con las claves de quienes organizan la carta. Solo esas personas pueden abrirlas, en sus propias computadoras. La empresa o persona que aloja este sitio no puede leerlas. Tampoco puede nadie que confisque el servidor o entre en él a la fuerza.
privacy-stored-heading = Qué se guarda
privacy-stored-body = Las respuestas que envía, cifradas, y el día en que llegaron. Nada más: ni su dirección de internet, ni su dispositivo o navegador, ni la hora. Este sitio no pone cookies, no usa scripts y no carga nada de otros sitios web.
privacy-public-body = Su nombre o el de su organización solo aparece en público si marca la casilla que lo dice. Lo que cuente sobre lo que pasó solo se cita si marca la casilla que lo permite, y nunca junto a su nombre.
privacy-kept-heading = Cuánto tiempo se guarda
privacy-kept-body = Las respuestas cifradas se quedan en el servidor hasta que quienes organizan la carta las recojan y las borren de ahí.
privacy-kept-days = Las respuestas cifradas se quedan en el servidor hasta que quienes organizan la carta las recojan, y como máximo { $days } días (contados en semanas completas) después de llegar.
privacy-withdraw-heading = Retirar lo que envió
privacy-withdraw-contact = Para retirar su firma o lo que contó, póngase en contacto con quienes organizan la carta: { $contact }
privacy-withdraw-no-contact = Para retirar su firma o lo que contó, póngase en contacto con una de las personas que organizan la carta, nombradas arriba.
privacy-withdraw-receipt = Después de enviar el formulario, se le muestra un comprobante. Con él puede retirar su firma o lo que contó, en la página «{ withdraw-title }»: sus respuestas se borran de este sitio, y quienes organizan la carta borran su copia y quitan su nombre de cualquier lista pública.
privacy-device-heading = En un teléfono o una computadora compartidos
privacy-leave-body = El enlace «{ leave-quickly }», arriba en cada página, abre al instante un sitio web común en esta pestaña.

## Taking back what was sent (/withdraw)

withdraw-title = Retirar lo que envió
withdraw-body = Escriba el comprobante que se le mostró después de enviar el formulario. Así sus respuestas se borran de este sitio, y quienes organizan la carta borran su copia y quitan su nombre de cualquier lista pública la próxima vez que recojan las respuestas.
withdraw-label = Comprobante
withdraw-help = 32 letras y números, como se mostraron después de enviar; no importan los espacios, los guiones ni las mayúsculas o minúsculas.
withdraw-submit = Retirar
withdraw-done-title = Gracias
withdraw-done-body = Si este comprobante corresponde a respuestas enviadas aquí, ya se retiraron: se borraron de este sitio, y quienes organizan la carta borrarán su copia y quitarán su nombre de cualquier lista pública. Por su seguridad, esta página dice lo mismo tanto si el comprobante coincidió como si no.
withdraw-bad = Esto no parece un comprobante: un comprobante tiene 32 letras y números, en grupos de cuatro. Por favor, revíselo e inténtelo de nuevo.

## The public list of signatories (/signatories)

signatories-title = Quién ha firmado públicamente
signatories-intro = Estas personas y organizaciones firmaron la carta y pidieron aparecer en la lista.
signatories-link = Ver quién ha firmado públicamente
signatories-previous = Página anterior
signatories-next = Página siguiente
signatories-page = Página { $page } de { $pages }
