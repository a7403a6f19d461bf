// Spanish, French, German and Portuguese phrase banks: a few sentences per root cause, enough for
// the minority of customers who write in their own language.
#include "phrases.hpp"

namespace feedloop::samples {
namespace {

using Sv = std::string_view;

// ---------------------------------------------------------------- Spanish
constexpr Sv kEsDelivery[] = {"El pedido llegó con {d} días de retraso.",
                              "La entrega tardó muchísimo y nadie me avisó.",
                              "Pagué envío urgente y tardó más de una semana."};
constexpr Sv kEsTracking[] = {
    "¿Dónde está mi pedido? El seguimiento no se actualiza desde hace "
    "días.",
    "El seguimiento dice entregado pero no he recibido nada."};
constexpr Sv kEsPackaging[] = {"La caja llegó aplastada y el producto abollado.",
                               "Embalaje pésimo, llegó todo roto."};
constexpr Sv kEsWrong[] = {"Me enviaron un producto equivocado.",
                           "Faltaba un artículo en el paquete."};
constexpr Sv kEsStock[] = {"Siempre está agotado.",
                           "Me cancelaron el pedido por falta de stock después de cobrarme."};
constexpr Sv kEsReturns[] = {
    "Devolví el producto hace tres semanas y todavía no me han "
    "reembolsado.",
    "El proceso de devolución es un desastre."};
constexpr Sv kEsSubscription[] = {"No puedo cancelar la suscripción desde la web.",
                                  "Este mes se saltaron mi entrega sin avisar."};
constexpr Sv kEsSupport[] = {
    "Escribí al servicio de atención al cliente {n} veces y nadie "
    "contesta.",
    "Atención al cliente lentísima, días sin respuesta."};
constexpr Sv kEsBilling[] = {
    "El código de descuento no se aplicó y me cobraron el precio completo.",
    "El pago falló pero el dinero salió de mi cuenta."};
constexpr Sv kEsQuality[] = {"Mala calidad, se rompió a las dos semanas.",
                             "El producto dejó de funcionar enseguida."};
constexpr Sv kEsPrice[] = {"Demasiado caro para lo que es.", "Los precios suben cada mes."};
constexpr Sv kEsDuplicate[] = {"Me cobraron dos veces la suscripción este mes.",
                               "Cobro duplicado de la suscripción mensual."};
constexpr Sv kEsPraise[] = {"Todo perfecto, llegó rapidísimo.",
                            "Muy contenta con la compra, la recomiendo.",
                            "Excelente calidad y buen precio.", "Genial, repetiré."};
constexpr Sv kEsNeutral[] = {"Está bien, nada especial.", "Cumple su función."};
constexpr Sv kEsClosers[] = {"Muy decepcionado.", "No vuelvo a comprar.", "¡Qué vergüenza!"};
constexpr Sv kEsMixed[] = {"Buen producto, pero la caja llegó aplastada.",
                           "Me encanta el café, pero el envío tardó demasiado."};
constexpr Sv kEsTitlesBad[] = {"Decepcionante", "Muy mal servicio"};
constexpr Sv kEsTitlesGood[] = {"Excelente", "Muy recomendable"};

// ---------------------------------------------------------------- French
constexpr Sv kFrDelivery[] = {"Commande arrivée avec {d} jours de retard.",
                              "Livraison beaucoup trop lente, aucune explication.",
                              "J'ai payé la livraison express et j'ai attendu plus d'une semaine."};
constexpr Sv kFrTracking[] = {
    "Où est ma commande ? Le suivi n'est pas mis à jour depuis des jours.",
    "Le suivi indique livré mais je n'ai rien reçu."};
constexpr Sv kFrPackaging[] = {"Le carton est arrivé écrasé et l'article cabossé.",
                               "Emballage catastrophique, tout était cassé."};
constexpr Sv kFrWrong[] = {"J'ai reçu le mauvais article.",
                           "Il manquait un produit dans le colis."};
constexpr Sv kFrStock[] = {"Toujours en rupture de stock.",
                           "Commande annulée faute de stock, après avoir été débité."};
constexpr Sv kFrReturns[] = {
    "J'ai renvoyé l'article il y a trois semaines et toujours pas de "
    "remboursement.",
    "Le retour est une vraie galère."};
constexpr Sv kFrSubscription[] = {"Impossible de résilier l'abonnement en ligne.",
                                  "Ma livraison du mois a été sautée sans prévenir."};
constexpr Sv kFrSupport[] = {"J'ai écrit {n} fois au service client, aucune réponse.",
                             "Service client injoignable, des jours d'attente."};
constexpr Sv kFrBilling[] = {"Le code promo n'a pas été appliqué.",
                             "Le paiement a échoué mais j'ai quand même été débité."};
constexpr Sv kFrQuality[] = {"Qualité médiocre, cassé au bout de deux semaines.",
                             "Le produit ne fonctionne déjà plus."};
constexpr Sv kFrPrice[] = {"Beaucoup trop cher pour ce que c'est.",
                           "Les prix augmentent tous les mois."};
constexpr Sv kFrDuplicate[] = {"J'ai été débité deux fois pour mon abonnement ce mois-ci.",
                               "Double prélèvement pour l'abonnement mensuel."};
constexpr Sv kFrPraise[] = {"Parfait, livraison rapide et produit de qualité.",
                            "Très satisfaite, je recommande.", "Excellent rapport qualité-prix.",
                            "Super, merci !"};
constexpr Sv kFrNeutral[] = {"Correct, sans plus.", "Fait le travail."};
constexpr Sv kFrClosers[] = {"Très déçu.", "Je ne commanderai plus.", "Inadmissible !"};
constexpr Sv kFrMixed[] = {"Bon produit mais le carton était écrasé.",
                           "Café excellent, mais la livraison a pris une éternité."};
constexpr Sv kFrTitlesBad[] = {"Très déçu", "À éviter"};
constexpr Sv kFrTitlesGood[] = {"Parfait", "Je recommande"};

// ---------------------------------------------------------------- German
constexpr Sv kDeDelivery[] = {"Die Lieferung kam {d} Tage zu spät.",
                              "Lieferung dauerte ewig, keine Info.",
                              "Expressversand bezahlt und trotzdem über eine Woche gewartet."};
constexpr Sv kDeTracking[] = {
    "Wo ist meine Bestellung? Die Sendungsverfolgung wird seit Tagen "
    "nicht aktualisiert.",
    "Laut Tracking zugestellt, aber nichts angekommen."};
constexpr Sv kDePackaging[] = {"Der Karton kam völlig zerdrückt an, das Gerät hatte eine Delle.",
                               "Miserable Verpackung, alles kaputt."};
constexpr Sv kDeWrong[] = {"Falscher Artikel geliefert.", "Ein Artikel fehlte im Paket."};
constexpr Sv kDeStock[] = {"Ständig ausverkauft.",
                           "Bestellung wegen fehlendem Lagerbestand storniert, obwohl schon "
                           "bezahlt."};
constexpr Sv kDeReturns[] = {
    "Artikel vor drei Wochen zurückgeschickt und immer noch keine "
    "Erstattung.",
    "Die Rücksendung ist eine Katastrophe."};
constexpr Sv kDeSubscription[] = {"Das Abo lässt sich online nicht kündigen.",
                                  "Meine Lieferung wurde diesen Monat ohne Ankündigung "
                                  "ausgelassen."};
constexpr Sv kDeSupport[] = {"Habe dem Kundenservice {n} Mal geschrieben, keine Antwort.",
                             "Kundenservice antwortet tagelang nicht."};
constexpr Sv kDeBilling[] = {"Der Gutscheincode wurde nicht angewendet.",
                             "Zahlung fehlgeschlagen, aber das Geld wurde trotzdem abgebucht."};
constexpr Sv kDeQuality[] = {"Schlechte Qualität, nach zwei Wochen kaputt.",
                             "Funktioniert schon nicht mehr."};
constexpr Sv kDePrice[] = {"Viel zu teuer für das, was es ist.", "Die Preise steigen jeden Monat."};
constexpr Sv kDeDuplicate[] = {"Mein Abo wurde diesen Monat doppelt abgebucht.",
                               "Doppelte Abbuchung für das Monatsabo."};
constexpr Sv kDePraise[] = {"Alles super, schnelle Lieferung.", "Sehr zufrieden, gerne wieder.",
                            "Top Qualität, gutes Preis-Leistungs-Verhältnis.", "Klasse, danke!"};
constexpr Sv kDeNeutral[] = {"Ganz okay, nichts Besonderes.", "Erfüllt seinen Zweck."};
constexpr Sv kDeClosers[] = {"Sehr enttäuscht.", "Nie wieder.", "Unverschämt!"};
constexpr Sv kDeMixed[] = {"Gutes Produkt, aber der Karton war zerdrückt.",
                           "Der Kaffee ist super, aber die Lieferung hat ewig gedauert."};
constexpr Sv kDeTitlesBad[] = {"Enttäuschend", "Nicht zu empfehlen"};
constexpr Sv kDeTitlesGood[] = {"Super", "Sehr empfehlenswert"};

// ---------------------------------------------------------------- Portuguese
constexpr Sv kPtDelivery[] = {"A encomenda chegou com {d} dias de atraso.",
                              "A entrega demorou demasiado, sem qualquer aviso."};
constexpr Sv kPtTracking[] = {"Onde está a minha encomenda? O rastreio não atualiza há dias."};
constexpr Sv kPtPackaging[] = {"A caixa chegou esmagada e o produto amolgado."};
constexpr Sv kPtWrong[] = {"Recebi o artigo errado.", "Faltava um artigo na encomenda."};
constexpr Sv kPtStock[] = {"Está sempre esgotado."};
constexpr Sv kPtReturns[] = {"Devolvi o artigo há três semanas e ainda não recebi o reembolso."};
constexpr Sv kPtSubscription[] = {"Não consigo cancelar a assinatura no site."};
constexpr Sv kPtSupport[] = {"Enviei {n} emails ao apoio ao cliente e ninguém respondeu."};
constexpr Sv kPtBilling[] = {"O código de desconto não foi aplicado."};
constexpr Sv kPtQuality[] = {"Má qualidade, avariou ao fim de duas semanas."};
constexpr Sv kPtPrice[] = {"Demasiado caro para o que é."};
constexpr Sv kPtDuplicate[] = {"Fui cobrado duas vezes pela assinatura este mês."};
constexpr Sv kPtPraise[] = {"Tudo perfeito, entrega rápida.", "Muito satisfeita, recomendo."};
constexpr Sv kPtNeutral[] = {"Razoável, nada de especial."};
constexpr Sv kPtClosers[] = {"Muito desiludido.", "Não volto a comprar."};
constexpr Sv kPtMixed[] = {"Bom produto, mas a caixa chegou amolgada."};
constexpr Sv kPtTitlesBad[] = {"Desiludido"};
constexpr Sv kPtTitlesGood[] = {"Excelente"};

constexpr ForeignBank kSpanish = {
    {kEsDelivery, kEsTracking, kEsPackaging, kEsWrong, kEsStock, kEsReturns, kEsSubscription,
     kEsSupport, kEsBilling, kEsQuality, kEsPrice},
    kEsDuplicate,
    kEsPraise,
    kEsNeutral,
    kEsClosers,
    kEsMixed,
    kEsTitlesBad,
    kEsTitlesGood};
constexpr ForeignBank kFrench = {
    {kFrDelivery, kFrTracking, kFrPackaging, kFrWrong, kFrStock, kFrReturns, kFrSubscription,
     kFrSupport, kFrBilling, kFrQuality, kFrPrice},
    kFrDuplicate,
    kFrPraise,
    kFrNeutral,
    kFrClosers,
    kFrMixed,
    kFrTitlesBad,
    kFrTitlesGood};
constexpr ForeignBank kGerman = {
    {kDeDelivery, kDeTracking, kDePackaging, kDeWrong, kDeStock, kDeReturns, kDeSubscription,
     kDeSupport, kDeBilling, kDeQuality, kDePrice},
    kDeDuplicate,
    kDePraise,
    kDeNeutral,
    kDeClosers,
    kDeMixed,
    kDeTitlesBad,
    kDeTitlesGood};
constexpr ForeignBank kPortuguese = {
    {kPtDelivery, kPtTracking, kPtPackaging, kPtWrong, kPtStock, kPtReturns, kPtSubscription,
     kPtSupport, kPtBilling, kPtQuality, kPtPrice},
    kPtDuplicate,
    kPtPraise,
    kPtNeutral,
    kPtClosers,
    kPtMixed,
    kPtTitlesBad,
    kPtTitlesGood};

}  // namespace

const ForeignBank& Foreign(Lang lang) {
  switch (lang) {
    case Lang::kEs:
      return kSpanish;
    case Lang::kFr:
      return kFrench;
    case Lang::kDe:
      return kGerman;
    case Lang::kPt:
    case Lang::kEn:
      break;
  }
  return kPortuguese;
}

}  // namespace feedloop::samples
