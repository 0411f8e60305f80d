#pragma once

#include <QStyledItemDelegate>

namespace iotc {

// Paints a payload cell from RawDataModel::PayloadHtmlRole: unmodeled fields with a ⚠ and an amber
// background, mismatches with a ✖ and a red one, the JSON error spot with a ▲. Shape and colour,
// so the marks survive greyscale printouts and colour blindness.
class PayloadDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace iotc
