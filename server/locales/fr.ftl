# Français. Traduction en attente de relecture par une personne dont c'est la langue maternelle.
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = Français
languages-label = Langue

## The letter page

sign-heading = Signer la lettre
signatures = { $count ->
    [one] { $shown } personne ou organisation a signé.
   *[other] { $shown } personnes et organisations ont signé.
}
privacy-note = Vos réponses sont chiffrées dès leur arrivée : seules les personnes qui organisent cette lettre peuvent les lire. Cette page n’utilise ni cookies, ni scripts, ni traceurs.
campaign-language-note = La lettre et les questions sont affichées telles que les organisatrices et organisateurs les ont écrites, dans leur langue ({ $language }) ; leur traduction est attendue. Tout le reste de cette page est en français.
required-marker = (obligatoire)
required-if = (obligatoire si vous avez choisi « { $option } »)
submit = Envoyer
honeypot-label = Laissez ce champ vide
error-summary-heading = Veuillez vérifier vos réponses
error-title = Veuillez vérifier vos réponses : { $title }
page-title = { $heading } — { $campaign }
home-link = Aller à la lettre

## Problems with one answer, shown next to it

required = Veuillez répondre à cette question.
choose-one = Veuillez choisir l’une des options.
choose-at-least-one = Veuillez cocher au moins une des options.
not-an-option = Veuillez choisir parmi les options proposées (le formulaire en a envoyé une qu’il ne contient pas).
control-character = Cette réponse contient un caractère de contrôle invisible (souvent venu d’un texte copié ailleurs, ou un retour à la ligne dans une réponse d’une seule ligne) qui ne peut pas être enregistré. Veuillez effacer puis retaper la partie que vous avez collée — le reste de votre texte est conservé ci-dessous.
bad-email = Cela ne ressemble pas à une adresse e-mail : il faut un seul @ avec du texte de chaque côté, et aucune espace. Vous pouvez aussi laisser ce champ vide.
bad-postal-code = Un code postal ne contient que des lettres, des chiffres, des espaces et des tirets. Vous pouvez aussi laisser ce champ vide.
bad-checkbox = Cette case a envoyé une valeur inattendue. Veuillez la cocher ou la décocher à nouveau.
must-tick = Veuillez cocher cette case pour continuer.
too-long = Cette réponse compte { $length } caractères ; la limite est de { $limit }. Veuillez la raccourcir — votre texte est conservé ci-dessous.

## A form that could not be read (the 400 page)

damaged-form = Les données du formulaire ont été abîmées en chemin, donc rien n’a été enregistré. Veuillez revenir en arrière et appuyer de nouveau sur Envoyer.
not-utf8 = Le texte du formulaire n’a pas pu être lu (il n’a pas été envoyé en UTF-8), donc rien n’a été enregistré. Veuillez revenir en arrière et l’envoyer de nouveau, si possible depuis un navigateur à jour.
nul-byte = Le formulaire contenait un caractère qui ne peut pas être enregistré (un octet NUL), donc rien n’a été enregistré. Veuillez revenir en arrière, retirer les caractères inhabituels que vous avez collés, et envoyer de nouveau.
duplicate-field = Le formulaire a envoyé deux fois le champ « { $name } », ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.
unknown-field-named = Le formulaire a envoyé un champ appelé « { $name } » qu’il ne contient pas, ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.
unknown-field = Le formulaire a envoyé un champ qu’il ne contient pas, ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.

## Notices above a form that comes back

token-missing = Le formulaire est arrivé sans son code de sécurité, donc rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
token-invalid = Cette copie du formulaire n’est plus à jour (le site a peut-être redémarré), donc rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
token-too-young = Veuillez patienter un instant puis appuyer de nouveau sur Envoyer — vos réponses sont conservées.
token-expired = Ce formulaire est resté ouvert longtemps, il a donc fallu le renouveler et rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
resent-other-answers = Ce formulaire avait déjà été envoyé, et les réponses envoyées alors ont bien été reçues. Les réponses modifiées ci-dessous n’ont pas été enregistrées. Si vous voulez les enregistrer aussi, appuyez de nouveau sur Envoyer : cela ajoute un deuxième envoi, séparé du premier.
short-of-space = Vos réponses n’ont pas pu être enregistrées pour le moment : le serveur manque d’espace de stockage. Rien n’a été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer plus tard (dans une heure, ou demain), et gardez cette page ouverte d’ici là.

## Pages: a title, and what happened and what to do

thanks-title = Merci
thanks-body = Vos réponses sont arrivées et ont été chiffrées aussitôt : seules les personnes qui organisent cette lettre peuvent les lire. Vous pouvez fermer cette page.
bad-request-title = Le formulaire n’a pas pu être lu
bad-request-body = Ce qui est arrivé n’est pas un formulaire que ce site sait lire, donc rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et réessayer.
not-found-title = Page introuvable
not-found-body = Il n’y a pas de page à cette adresse. La lettre et son formulaire sont sur la page d’accueil.
too-large-title = Vos réponses sont trop longues pour être envoyées
too-large-body = Rien n’a été enregistré. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur, raccourcissez la réponse la plus longue, puis appuyez de nouveau sur Envoyer.
unsupported-media-type-title = Le formulaire n’a pas pu être lu
unsupported-media-type-body = Ce qui est arrivé n’a pas été envoyé comme l’est un formulaire web, donc rien n’a été enregistré. Veuillez revenir en arrière et appuyer de nouveau sur Envoyer depuis la page du formulaire.
server-error-title = Un problème est survenu de notre côté
server-error-body = Vos réponses n’ont pas été enregistrées. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer dans quelques minutes.
method-not-allowed-title = Cette adresse n’accepte pas cette demande
method-not-allowed-body = Rien n’a été enregistré. La lettre et son formulaire sont sur la page d’accueil.
headers-too-large-title = Votre navigateur a envoyé plus que ce que ce site lit
headers-too-large-body = Rien n’a été enregistré : la demande contenait trop d’informations supplémentaires (des cookies ou des en-têtes très volumineux, souvent dus à une extension du navigateur). Votre texte est toujours dans le formulaire : revenez en arrière et envoyez de nouveau, ou utilisez une fenêtre de navigation privée.
timeout-title = Vos réponses ont mis trop de temps à arriver
timeout-body = Rien n’a été enregistré ; la connexion était trop lente. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer.
unavailable-title = Vos réponses n’ont pas pu être enregistrées pour le moment
unavailable-body = Rien n’a été enregistré : le serveur est très occupé ou rencontre un problème. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer dans une minute.
rate-limited-title = Veuillez patienter un peu
rate-limited = Beaucoup de formulaires ont été envoyés depuis votre connexion en peu de temps, donc celui-ci n’a pas encore été enregistré. Votre texte est toujours dans le formulaire : revenez en arrière avec le bouton Retour de votre navigateur et envoyez de nouveau dans { $seconds ->
    [one] { $shown } seconde
   *[other] { $shown } secondes
}.
